import { env } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { sweepHandoffs } from '../../edge/handoff/sweep';
import { OPERATOR_TOKEN } from './helpers';
import { DAY, ONBOARDING_SURVEY, plusCampaigns, quietConfig, rows, sendAt, serverEvents, Shopper, siteWith } from './shopper';

// Privacy: no IP address is stored anywhere, and erasing a shopper removes every row of theirs
// from every table while other shoppers' rows stay.

const IP_V4 = '203.0.113.77';
const IP_V6 = '2001:db8::beef';

/** Every user table of the database (the migrations' and any added later). */
async function allTables(): Promise<string[]> {
  const tables = await rows<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'");
  return tables.map((t) => t.name);
}

/** Rows of any table that mention one of `needles` in any column, as `table: row json`. */
async function rowsMentioning(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const table of await allTables()) {
    for (const row of await rows(`SELECT * FROM "${table}"`)) {
      const text = JSON.stringify(row);
      if (needles.some((needle) => text.includes(needle))) found.push(`${table}: ${text}`);
    }
  }
  return found;
}

async function kvMentioning(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  const { keys } = await env.KV.list();
  for (const { name } of keys) {
    const value = (await env.KV.get(name)) ?? '';
    if (needles.some((needle) => name.includes(needle) || value.includes(needle))) found.push(name);
  }
  return found;
}

const everyWidget = plusCampaigns(
  quietConfig({
    recommendations: { enabled: true },
    cart_reminder: { enabled: true, trigger: { type: 'immediate' } },
    signup_benefit: { enabled: true, trigger: { type: 'immediate' } },
    review_prompt: { enabled: true },
    interested_product: { enabled: true },
  }),
  ONBOARDING_SURVEY,
);

/** A shopper doing everything that leaves rows: sessions with UTM, views, cart, purchase, review,
 * lead, decisions and widget events, sign-in. */
async function busyShopper(site: string, tag: string, user?: string) {
  const s = new Shopper(site);
  // Products are shop data, not the shopper's: their ids stay out of the tag searched for.
  const item = { item_id: 'sku-mug', item_name: 'Mug', price: 9000, quantity: 1, item_category: 'kitchen' };
  await s.pageView(`https://shop.example/?utm_source=news&utm_medium=email&utm_campaign=${tag}`);
  await s.viewItem(item);
  await s.viewItem({ ...item, item_id: 'sku-cup' });
  await s.track('add_to_cart', { currency: 'KRW', items: [item] });
  const decided = await s.decide({ type: 'product', slots: ['recommendations'] });
  if (decided.overlay) await s.widgetEvent('widget_impression', decided.overlay);
  if (user) await s.identify(user);
  await s.track('purchase', { transaction_id: `tx-${tag}`, currency: 'KRW', value: 9000, items: [item] });
  await s.track('review_submit', { item_id: item.item_id, rating: 5, text: `great ${tag}` });
  await s.track('lead_submit', { email: `${tag}@mail.example`, marketing_consent: true });
  // What the shop's server says of the member, a survey answer, and a repeat purchase.
  await s.track('survey_answer', { survey: 'onboarding', question: 'interest', answer: 'kitchen' });
  if (user) await serverEvents(site, s.now, [{ name: 'coupon_issued', user_id: user, props: { code: `C-${tag}`.slice(0, 64), benefit: '10% off' } }]);
  await s.advance(DAY).track('purchase', { transaction_id: `tx2-${tag}`, currency: 'KRW', value: 9000, items: [item] });
  await s.track('add_to_cart', { currency: 'KRW', items: [{ ...item, item_id: 'sku-cup' }] });
  await s.decide({ type: 'home' });
  return s;
}

describe('privacy', () => {
  it('stores no IP address from CF-Connecting-IP, X-Forwarded-For or X-Real-IP', async () => {
    const site = await siteWith(everyWidget);
    const s = new Shopper(site.id);
    const headers = { 'CF-Connecting-IP': IP_V4, 'X-Forwarded-For': `${IP_V6}, ${IP_V4}`, 'X-Real-IP': IP_V4, 'True-Client-IP': IP_V6, 'Content-Type': 'text/plain' };
    const events = [s.event('page_view', {}, 'https://shop.example/?x=1'), s.event('add_to_cart', { currency: 'KRW', items: [{ item_id: 'sku-ip', price: 10 }] })];
    const collect = await sendAt(s.now, '/v1/collect', { method: 'POST', headers, body: JSON.stringify({ site: site.id, sent_at: s.now, events }) });
    expect(collect.status).toBe(202);
    const decide = await sendAt(s.now, '/v1/decide', {
      method: 'POST',
      headers,
      body: JSON.stringify({ site: site.id, anon_id: s.anon, session_id: s.session, page: { url: 'https://shop.example/', type: 'home' }, consent: s.consent }),
    });
    expect(decide.status).toBe(200);
    expect(await rows('SELECT count(*) AS n FROM events WHERE site = ?', site.id)).toEqual([{ n: 2 }]);
    expect(await rowsMentioning([IP_V4, IP_V6, '203.0.113', '2001:db8'])).toEqual([]);
    expect(await kvMentioning([IP_V4, IP_V6])).toEqual([]);
  });

  describe('erasure: DELETE /v1/admin/sites/:site/visitors/:visitor_id', () => {
    it("erases a member (u:<user_id>) across every table and every linked browser; others' data stays", async () => {
      // With a hand-off of left carts to the shop's messaging, so the member's hand-off entry and
      // the delivery waiting to carry their cart are theirs to erase too.
      const site = await siteWith({ ...everyWidget, handoffs: [{ id: 'cart-1h', trigger: { kind: 'cart_abandoned', after_minutes: 60 }, holdout_percent: 0, advertising: false }] });
      const hooks = await sendAt(Date.now(), `/v1/admin/sites/${site.id}/webhooks`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${site.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ reviews_url: null, handoff_url: `${inject('receiverUrl')}/ok/privacy` }),
      });
      expect(hooks.status).toBe(200);
      const start = Date.now();
      await sweepHandoffs(env, site.id, start); // the hand-off looks from here on
      const user = `user-${crypto.randomUUID().slice(0, 8)}`;
      const phone = await busyShopper(site.id, `victim-${user}`, user);
      const laptop = phone.onAnotherDevice();
      await laptop.identify(user);
      await laptop.pageView('https://shop.example/laptop');
      const otherUser = `member-${crypto.randomUUID().slice(0, 8)}`;
      const bystander = await busyShopper(site.id, `bystander-${otherUser}`, otherUser);
      // Both put something in the cart after their last order and leave it: an hour later both
      // are handed off (the deliveries wait to be sent).
      for (const s of [phone, bystander]) await s.advance(60_000).track('add_to_cart', { currency: 'KRW', items: [{ item_id: 'sku-bowl', item_name: 'Bowl', price: 7000, quantity: 1 }] });
      expect((await sweepHandoffs(env, site.id, Math.max(phone.now, bystander.now) + 2 * 3_600_000)).moments).toBe(2);

      const victimIds = [phone.anon, laptop.anon, user, phone.session, laptop.session, `victim-${user}`];
      const bystanderIds = [bystander.anon, otherUser, bystander.session];
      const victimRowsBefore = await rowsMentioning(victimIds);
      const tablesBefore = new Set(victimRowsBefore.map((row) => row.split(':')[0]));
      // The scenario reaches every per-shopper table, so the erasure is tested against each.
      for (const table of ['events', 'identity_links', 'profiles', 'product_views', 'orders', 'decisions', 'visitor_sessions', 'cart_items', 'reviewed_products', 'widget_stats', 'rec_session_items', 'rec_visitor_items', 'rec_visitor_categories', 'leads', 'reviews', 'member_coupons', 'survey_answers', 'survey_responses', 'item_repurchases', 'control_group', 'handoff_members', 'webhook_deliveries'])
        expect(tablesBefore, table).toContain(table);
      const bystanderBefore = await rowsMentioning(bystanderIds);

      const response = await sendAt(Date.now(), `/v1/admin/sites/${site.id}/visitors/${encodeURIComponent(`u:${user}`)}`, { method: 'DELETE', headers: { Authorization: `Bearer ${site.token}` } });
      const body = (await response.json()) as { erased: { anon_ids: string[]; user_ids: string[] }; rows_deleted: number };
      expect(response.status).toBe(200);
      expect(body.erased.user_ids).toEqual([user]);
      // The member's two browsers, and the id the shop's server events were filed under.
      expect(body.erased.anon_ids.filter((id) => !id.startsWith('srv_')).sort()).toEqual([phone.anon, laptop.anon].sort());
      expect(body.erased.anon_ids.filter((id) => id.startsWith('srv_'))).toHaveLength(1);
      expect(body.rows_deleted).toBeGreaterThan(0);

      expect(await rowsMentioning(victimIds)).toEqual([]);
      expect(await rowsMentioning(bystanderIds)).toEqual(bystanderBefore);
      // The shopper is unknown to the profile endpoint now.
      const profile = await sendAt(Date.now(), `/v1/admin/sites/${site.id}/profile?user_id=${user}`, { headers: { Authorization: `Bearer ${site.token}` } });
      expect(profile.status).toBe(404);
    });

    it('erases an anonymous browser (a:<anon_id>) and only it', async () => {
      const site = await siteWith(everyWidget);
      const tag = crypto.randomUUID().slice(0, 8);
      const anonymous = await busyShopper(site.id, `anon-victim-${tag}`);
      const other = await busyShopper(site.id, `anon-other-${tag}`);
      const otherBefore = await rowsMentioning([other.anon, other.session]);
      const response = await sendAt(Date.now(), `/v1/admin/sites/${site.id}/visitors/a:${anonymous.anon}`, { method: 'DELETE', headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` } });
      expect(response.status).toBe(200);
      expect(await rowsMentioning([anonymous.anon, anonymous.session, `anon-victim-${tag}`])).toEqual([]);
      expect(await rowsMentioning([other.anon, other.session])).toEqual(otherBefore);
    });

    it('refuses a malformed visitor id, an unknown site and a missing or foreign token, erasing nothing', async () => {
      const site = await siteWith(everyWidget);
      const other = await siteWith(everyWidget);
      const s = new Shopper(site.id);
      await s.pageView();
      const del = (path: string, token?: string) => sendAt(Date.now(), path, { method: 'DELETE', headers: token ? { Authorization: `Bearer ${token}` } : {} });
      const cases: [Response, number, string][] = [
        [await del(`/v1/admin/sites/${site.id}/visitors/${s.anon}`, site.token), 400, 'invalid_visitor'],
        [await del(`/v1/admin/sites/${site.id}/visitors/a:${s.anon}`), 401, 'unauthorized'],
        [await del(`/v1/admin/sites/${site.id}/visitors/a:${s.anon}`, other.token), 401, 'unauthorized'],
        [await del(`/v1/admin/sites/nope-${site.id}/visitors/a:${s.anon}`, OPERATOR_TOKEN), 404, 'unknown_site'],
      ];
      for (const [response, status, code] of cases) {
        expect(response.status).toBe(status);
        expect(await response.json()).toMatchObject({ error: { code } });
      }
      expect(await rows('SELECT count(*) AS n FROM events WHERE site = ?', site.id)).toEqual([{ n: 1 }]);
    });
  });
});
