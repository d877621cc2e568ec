// The admin's shopper lookup (Audiences page) in real Chromium against the real worker: a member
// with an order and shop data sent from the server is found with the keyboard only, their stage and
// facts shown, and every campaign's answer (shown now, held back, or why not) worded in Korean from
// the reason code the profile view gives (the edge's English words under English); an unknown id answered in the marketer's
// language; no serious axe violation; the card fits a phone.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ProfileViewT } from '../../edge/contract';
import { openAdminTab, seriousAxeViolations as axe } from '../support/admin-tab';
// @ts-expect-error plain ESM build scripts, no declarations
import { DEMO_SITE, ensureSite } from '../../scripts/lib/dev-worker.mjs';

const WORKER = inject('workerUrl');
const SITE = 'admin-lookup-test';
const SITE_TOKEN = 'admin-lookup-site-token-0123456789abcdef';
const MEMBER = `lookup-kim-${crypto.randomUUID().slice(0, 8)}`;

let browser: Browser;
let page: Page;
let problems: string[] = [];

const siteApi = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
  const response = await fetch(`${WORKER}/v1/admin/sites/${SITE}${path}`, { ...init, headers: { Authorization: `Bearer ${SITE_TOKEN}`, 'Content-Type': 'application/json', ...init.headers } });
  expect(response.status, `${path}: ${await response.clone().text()}`).toBeLessThan(300);
  return response.json() as Promise<T>;
};


beforeAll(async () => {
  await ensureSite(WORKER, inject('adminToken'), SITE, { ...DEMO_SITE, name: 'Lookup test shop' }, SITE_TOKEN);
  // A member who bought once four days ago (due for the second-purchase nudge, like others), with a
  // tier and a coupon from the shop's server.
  const now = Date.now();
  const browserEvent = (name: string, props: Record<string, unknown>, ts: number) => ({ id: `evt-${crypto.randomUUID()}`, name, ts, anon_id: `anon-${MEMBER}`, session_id: `sess-${MEMBER}`, user_id: MEMBER, url: 'https://shop.example/', props });
  const collected = await fetch(`${WORKER}/v1/collect`, {
    method: 'POST',
    headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36' },
    body: JSON.stringify({
      site: SITE,
      sent_at: now,
      events: [browserEvent('page_view', { title: 'Home' }, now - 4 * 86_400_000 - 3000), browserEvent('purchase', { transaction_id: `T-${MEMBER}`, value: 39000, currency: 'KRW', items: [{ item_id: 'sku-1', item_name: '린넨 셔츠', price: 39000, quantity: 1 }] }, now - 4 * 86_400_000)],
    }),
  });
  expect(await collected.json()).toMatchObject({ accepted: 2 });
  await siteApi('/events', {
    method: 'POST',
    body: JSON.stringify({
      events: [
        { id: `srv-${crypto.randomUUID()}`, name: 'tier_updated', ts: now - 1000, user_id: MEMBER, props: { tier: 'SILVER', next_tier: 'GOLD', amount_to_next: 61000 } },
        { id: `srv-${crypto.randomUUID()}`, name: 'coupon_issued', ts: now - 1000, user_id: MEMBER, props: { code: 'WELCOME10', benefit: '10%', expires_at: now + 20 * 86_400_000 } },
      ],
    }),
  });
  ({ browser, page, problems } = await openAdminTab(WORKER, SITE, SITE_TOKEN));
});

afterAll(async () => {
  await browser?.close();
});

describe('admin: look up a shopper', () => {
  it('finds a member with the keyboard, shows their facts and why each campaign does or does not show, in Korean', async () => {
    // What the profile view answers; the page must word each of its reasons.
    const profile = await expect.poll(async () => (await fetch(`${WORKER}/v1/admin/sites/${SITE}/profile?user_id=${MEMBER}`, { headers: { Authorization: `Bearer ${SITE_TOKEN}` } })).status).toBe(200).then(() => siteApi<ProfileViewT>(`/profile?user_id=${MEMBER}`));
    expect(profile.facts).toMatchObject({ orders: 1, tier: 'SILVER', coupons: [{ code: 'WELCOME10' }] });
    expect(profile.eligibility.length).toBeGreaterThan(10);
    // Eligible or why not; of the eligible, shown now or held back by something named.
    expect(profile.eligibility.every((e) => e.eligible === (e.reason_code === null) && (e.eligible ? e.shows_now === (e.held_back_code === null) : !e.shows_now))).toBe(true);
    expect(profile.eligibility.some((e) => e.shows_now)).toBe(true);
    // One overlay a page: the eligible ones decide does not pick say which comes first.
    const outranked = profile.eligibility.find((e) => e.held_back_code === 'outranked');
    expect(outranked, JSON.stringify(profile.eligibility.map((e) => [e.campaign, e.reason_code, e.held_back_code]))).toBeTruthy();

    await page.goto(`${WORKER}/admin/audiences`);
    const id = page.getByLabel('ID', { exact: true });
    await id.focus();
    await page.keyboard.type(MEMBER);
    await page.keyboard.press('Enter');
    const status = page.locator('[data-lookup-status]');
    await expect.poll(() => status.textContent()).toBe(`${MEMBER} 고객을 찾았어요.`);
    const result = page.locator('[data-lookup-result]');
    expect(await result.locator('[data-fact="lookup_stage"]').textContent()).toBe('첫 구매 고객');
    const facts = await result.locator('dl').innerText();
    expect(facts).toContain('SILVER');
    expect(facts).toContain('WELCOME10');
    // Last seen four days ago: read as at the start of a new visit, and said so.
    expect(await result.locator('[data-lookup-visit]').textContent()).toBe('지금은 방문 중이 아니에요. 새 방문의 첫 페이지 기준으로 보여줘요.');

    const rows = result.locator('tbody tr');
    expect(await rows.count()).toBe(profile.eligibility.length);
    for (const e of profile.eligibility) {
      const cell = (await result.locator(`tr[data-eligibility="${e.campaign}"] td`).textContent()) ?? '';
      if (e.shows_now) expect(cell).toBe('지금 나가요');
      else if (e.eligible) {
        // Eligible, held back now: another campaign ranks first, or the overlay gap.
        expect(cell, `${e.campaign}: ${e.held_back_code}`).toMatch(/^대상이지만 지금은 아니에요: [^{]*[가-힣][^{]*$/);
        expect(cell).not.toContain(e.held_back!);
      } else {
        // Korean words for the code, with its figures; never the English sentence, never a bare code.
        expect(cell, `${e.campaign}: ${e.reason_code}`).toMatch(/[가-힣]/);
        expect(cell).not.toBe(e.reason);
        expect(cell).not.toContain('{');
        for (const value of Object.values(e.reason_values)) if (typeof value === 'number') expect(cell, `${e.campaign}: ${e.reason_code}`).toContain(String(value));
      }
    }
    const first = profile.eligibility.find((e) => e.campaign === outranked!.held_back_values.campaign)!;
    expect(await result.locator(`tr[data-eligibility="${outranked!.campaign}"] td`).textContent()).toBe(`대상이지만 지금은 아니에요: 우선순위가 더 높은 “${first.name.split(' / ')[0]}” 캠페인이 먼저 나가요`);
    // Campaigns the ready journey keeps off until the shop sends their data.
    const off = profile.eligibility.find((e) => e.reason_code === 'switched_off');
    expect(off).toBeTruthy();
    expect(await result.locator(`tr[data-eligibility="${off!.campaign}"] td`).textContent()).toBe('꺼져 있어요');
    expect(await axe(page)).toEqual([]);

    // A browser on its second page right now: read as on that visit's next page.
    const visitor = `anon-visiting-${crypto.randomUUID().slice(0, 8)}`;
    const pageView = (ts: number) => ({ id: `evt-${crypto.randomUUID()}`, name: 'page_view', ts, anon_id: visitor, session_id: `sess-${visitor}`, url: 'https://shop.example/', props: {} });
    const sent = await fetch(`${WORKER}/v1/collect`, { method: 'POST', headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36' }, body: JSON.stringify({ site: SITE, sent_at: Date.now(), events: [pageView(Date.now() - 60_000), pageView(Date.now() - 1000)] }) });
    expect(await sent.json()).toMatchObject({ accepted: 2 });
    await page.getByLabel('찾을 ID 종류').selectOption('anon_id');
    await id.fill(visitor);
    await page.keyboard.press('Enter');
    await expect.poll(() => result.locator('[data-lookup-visit]').textContent()).toBe('지금 방문 중이에요 (이번 방문 페이지 2회, 마지막 활동 방금). 이 방문의 다음 페이지 기준으로 보여줘요.');
    await page.getByLabel('찾을 ID 종류').selectOption('user_id');

    // An id nobody has: said so in Korean, the last result cleared.
    await id.fill('nobody-at-all');
    await page.getByRole('button', { name: '조회' }).click();
    await expect.poll(() => status.textContent()).toBe('아직 기록된 것이 없는 고객이에요. ID를 확인해 주세요.');
    expect(await result.count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("in English shows the edge's words, and fits a phone", async () => {
    await page.goto(`${WORKER}/admin/audiences`);
    await page.getByRole('combobox').first().selectOption('en');
    await page.getByLabel('Id', { exact: true }).fill(MEMBER);
    await page.getByRole('button', { name: 'Look up' }).click();
    const result = page.locator('[data-lookup-result]');
    await expect.poll(() => result.locator('[data-fact="lookup_stage"]').textContent()).toBe('New customer');
    const profile = await siteApi<ProfileViewT>(`/profile?user_id=${MEMBER}`);
    const notShown = profile.eligibility.find((e) => !e.eligible)!;
    expect(await result.locator(`tr[data-eligibility="${notShown.campaign}"] td`).textContent()).toBe(notShown.reason);

    await page.setViewportSize({ width: 390, height: 844 });
    const card = await page.locator('section.lookup').boundingBox();
    expect(card!.x).toBeGreaterThanOrEqual(0);
    expect(card!.x + card!.width).toBeLessThanOrEqual(390);
    for (const field of ['#lookup-id', 'section.lookup button[type="submit"]']) {
      const box = await page.locator(field).boundingBox();
      expect(box!.x + box!.width, field).toBeLessThanOrEqual(390);
    }
    expect(problems).toEqual([]);
  });
});
