import { describe, expect, it } from 'vitest';
import { csvCell } from '../../edge/lib/csv';
import { createSite } from './helpers';
import { admin, collect, event, purchase, rows, shopper, uploadCatalog, type Shopper } from './shop-helpers';

const DECISION = 'dec-00000001';
const lead = (who: Shopper, email: string, marketing_consent: boolean, extra: Record<string, unknown> = {}) =>
  event(who, 'lead_submit', { email, marketing_consent, decision_id: DECISION, widget: 'signup_benefit' }, extra);
const review = (who: Shopper, item_id: string, rating: number, text?: string, extra: Record<string, unknown> = {}) =>
  event(who, 'review_submit', { item_id, rating, ...(text === undefined ? {} : { text }), decision_id: DECISION, widget: 'review_prompt' }, extra);

/** Parses RFC 4180 CSV (quoted cells, doubled quotes, CRLF) back into rows. */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), out.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  return out;
}

async function csv(site: { id: string; token: string }, file: string) {
  const response = await admin(site.token, `/v1/admin/sites/${site.id}/${file}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
  expect(response.headers.get('Content-Disposition')).toBe(`attachment; filename="${file.replace('.csv', '')}-${site.id}.csv"`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // A UTF-8 byte order mark first, so Excel reads Korean as UTF-8.
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...body] = parseCsv(new TextDecoder().decode(bytes));
  return body.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i]])));
}

describe('leads', () => {
  it('stores one row per email with the latest consent, and exports them as CSV', async () => {
    const site = await createSite();
    const a = shopper();
    const now = Date.now();
    await collect(site.id, [lead(a, 'Kim@Example.com', false, { ts: now - 5000 }), lead(shopper({ user_id: 'm-1' }), 'lee@example.com', true, { ts: now - 4000 })]);
    await collect(site.id, [lead(a, 'kim@example.com', true, { ts: now - 1000 })]);
    const leads = await csv(site, 'leads.csv');
    expect(leads).toHaveLength(2);
    expect(leads[0]).toMatchObject({ email: 'kim@example.com', marketing_consent: 'yes', visitor_id: `a:${a.anon_id}`, decision_id: DECISION, widget: 'signup_benefit', page_url: expect.stringMatching(/^https:\/\/shop\.example\//) });
    expect(Date.parse(leads[0]!.consent_changed_at!)).toBeGreaterThan(Date.parse(leads[0]!.created_at!));
    expect(leads[1]).toMatchObject({ email: 'lee@example.com', marketing_consent: 'yes', user_id: 'm-1', visitor_id: 'u:m-1' });
  });

  it('refuses an invalid email at collect, storing nothing', async () => {
    const site = await createSite();
    const { postCollect, batchOf } = await import('./helpers');
    const response = await postCollect(batchOf(site.id, [lead(shopper(), 'not-an-email', true)]));
    expect(((await response.json()) as { rejected: { reason: string }[] }).rejected[0]!.reason).toMatch(/props\.email/);
    expect(await rows('SELECT * FROM leads WHERE site = ?', site.id)).toEqual([]);
  });
});

describe('reviews', () => {
  it('keeps one review per visitor and item (the latest), marks verified purchases, and names the item', async () => {
    const site = await createSite();
    await uploadCatalog(site, [{ item_id: 'mug', name: '머그컵' }]);
    const buyer = shopper();
    const now = Date.now();
    await collect(site.id, [purchase(buyer, 'T-1', [{ item_id: 'mug' }]), review(buyer, 'mug', 3, 'ok', { ts: now - 3000 })]);
    await collect(site.id, [review(buyer, 'mug', 5, '정말 좋아요, "강추"', { ts: now - 1000 })]);
    await collect(site.id, [review(shopper(), 'mug', 1, undefined, { ts: now - 500 })]);
    const reviews = await csv(site, 'reviews.csv');
    expect(reviews).toHaveLength(2);
    expect(reviews[0]).toMatchObject({ item_id: 'mug', item_name: '머그컵', rating: '5', text: '정말 좋아요, "강추"', verified_purchase: 'yes', visitor_id: `a:${buyer.anon_id}`, decision_id: DECISION });
    expect(reviews[1]).toMatchObject({ rating: '1', text: '', verified_purchase: 'no' });
  });

  it('neutralises spreadsheet formulas in every text cell', async () => {
    const site = await createSite();
    const attacker = shopper();
    await collect(site.id, [
      review(attacker, '=HYPERLINK("http://evil.example","x")', 2, '+SUM(A1:A9)', { ts: Date.now() - 2000 }),
      review(attacker, 'mug', 4, '@cmd|calc', { ts: Date.now() - 1000 }),
      review(attacker, 'cup', 4, '-2+3', { ts: Date.now() - 500 }),
    ]);
    const reviews = await csv(site, 'reviews.csv');
    expect(reviews.map((r) => [r.item_id, r.text])).toEqual([
      [`'=HYPERLINK("http://evil.example","x")`, "'+SUM(A1:A9)"],
      ['mug', "'@cmd|calc"],
      ['cup', "'-2+3"],
    ]);
  });

  it('refuses a rating outside 1-5 at collect', async () => {
    const site = await createSite();
    const { postCollect, batchOf } = await import('./helpers');
    const body = (await (await postCollect(batchOf(site.id, [review(shopper(), 'mug', 6)]))).json()) as { rejected: { reason: string }[] };
    expect(body.rejected[0]!.reason).toMatch(/props\.rating: must be 1 to 5/);
  });
});

describe('exports', () => {
  it('streams more than one page (1000 rows) in order', async () => {
    const site = await createSite();
    const base = Date.now() - 200_000; // 100 ms apart: more than the clock correction can reorder
    for (let page = 0; page < 11; page++) {
      await collect(site.id, Array.from({ length: 100 }, (_, i) => lead(shopper(), `u${page * 100 + i}@example.com`, i % 2 === 0, { ts: base + (page * 100 + i) * 100 })));
    }
    const leads = await csv(site, 'leads.csv');
    expect(leads).toHaveLength(1100);
    expect(leads.map((l) => l.email)).toEqual(Array.from({ length: 1100 }, (_, i) => `u${i}@example.com`));
  });

  it('needs the site\'s token', async () => {
    const site = await createSite();
    const other = await createSite();
    expect((await admin('', `/v1/admin/sites/${site.id}/leads.csv`)).status).toBe(401);
    expect((await admin(other.token, `/v1/admin/sites/${site.id}/reviews.csv`)).status).toBe(401);
  });

  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+1', "'=1+1"],
    ['+82 10', "'+82 10"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['=A1,"x"', `"'=A1,""x"""`],
    [null, ''],
    [5, '5'],
  ])('csvCell(%j) is %s', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});
