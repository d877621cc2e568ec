// What grew in D1 with every event leaves once the hot window has passed (edge/archive/prune-state.ts):
// decision records, excluded events (counted into a daily rollup first), sessions, and the state of
// anonymous browsers that never came back. Reports over those days and decisions for returning
// shoppers keep working; members, buyers and orders stay.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { pruneEventIds } from '../../edge/archive/prune';
import { pruneTrendingDays } from '../../edge/archive/prune-state';
import { firstTrendingDay } from '../../edge/recs/trending';
import { dayString, localClock } from '../../edge/lib/site-time';
import worker from '../../edge/index';
import { batchOf, createSite, makeEvent, postCollect } from './helpers';
import { report, widgetOf } from './report-helpers';
import { atShopHour, DAY, HOUR, quietConfig, rows, sendAt, Shopper, siteWith } from './shopper';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

async function cron(time: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: time, cron: '* * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const count = async (table: string, site: string) => (await rows<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE site = ?1`, site))[0]!.n;

const signup = quietConfig({ signup_benefit: { enabled: true, trigger: { type: 'immediate' }, caps: { per_session: null, per_day: null, lifetime: null } } });

const ITEM = {
  item_id: 'SKU-MUG', item_name: '머그 Classic', item_brand: 'Everyday Goods', item_category: 'Home', item_category2: 'Kitchen', item_variant: 'White / L',
  price: 12000, quantity: 1, image_url: 'https://cdn.shop.example/images/products/sku-mug/main-800x800.jpg', url: 'https://shop.example/products/sku-mug',
};

describe('state bounded by the hot window', () => {
  it('prunes decisions, excluded events, sessions and never-returning anonymous browsers; reports and decide still work', async () => {
    const site = await siteWith(signup);
    // Noon in the shop's zone, and every event sent at that clock: all of them fall on `today`.
    const now = atShopHour(12);
    const today = dayString(localClock(now, 'Asia/Seoul').day);

    // A guest who sees the prompt, then never comes back.
    const guest = new Shopper(site.id, now);
    await guest.pageView();
    const shown = (await guest.decide()).overlay!;
    expect(shown.widget).toBe('signup_benefit');
    await guest.widgetEvent('widget_impression', shown);
    await guest.track('review_submit', { item_id: ITEM.item_id, rating: 5, decision_id: shown.decision_id });
    // A guest who buys (kept: orders), and a member (kept).
    const buyer = new Shopper(site.id, now);
    await buyer.viewItem(ITEM);
    await buyer.track('purchase', { transaction_id: 'ORD-1', currency: 'KRW', value: 12000, items: [ITEM] });
    const member = new Shopper(site.id, now);
    await member.identify('member-bounded-1');
    await member.pageView();
    // Two crawler events, kept out of the data.
    const bot = await sendAt(now, '/v1/collect', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'User-Agent': GOOGLEBOT },
      body: JSON.stringify(batchOf(site.id, [makeEvent({ anon_id: 'anon-crawler9', ts: now - 1000 }), makeEvent({ anon_id: 'anon-crawler9', ts: now - 1000 })], now)),
    });
    expect(await bot.json()).toMatchObject({ excluded: 2 });

    // Orders keep only what the review prompt reads of their items: the ids.
    expect((await rows<{ items: string }>('SELECT items FROM orders WHERE site = ?1', site.id))[0]!.items).toBe('["SKU-MUG"]');
    const before = await report(site.id, `from=${today}&to=${today}`, now + HOUR);
    expect(widgetOf(before, 'signup_benefit').shown).toMatchObject({ visitors: 1, impressions: 1 });
    expect(before.excluded_events.total).toBe(2);
    expect(await count('decisions', site.id)).toBe(1);
    expect(await count('visitor_sessions', site.id)).toBe(3);
    const guestRows = async (table: string) => rows(`SELECT 1 FROM ${table} WHERE site = ?1 AND visitor_id = ?2`, site.id, `a:${guest.anon}`);
    expect(await guestRows('report_visitors')).toHaveLength(1);
    expect(await guestRows('control_group')).toHaveLength(1);
    expect(await count('rec_item_days', site.id)).toBe(1); // the mug's day of activity, for trending

    // A week on, the mug's day no longer counts for trending (TRENDING_DAYS) and leaves.
    await cron(now + 6 * DAY);
    expect(await count('rec_item_days', site.id)).toBe(1);
    await cron(now + 8 * DAY);
    expect(await count('rec_item_days', site.id)).toBe(0);

    // Inside the hot window nothing else moves.
    expect(await count('decisions', site.id)).toBe(1);
    expect(await count('excluded_events', site.id)).toBe(2);
    expect(await count('visitor_sessions', site.id)).toBe(3);

    // Past it (35 days by default): decisions, excluded events and sessions leave; so does the
    // guest who never came back, with the state kept of their browser.
    const later = now + 37 * DAY;
    await cron(later);
    await cron(later + 60_000); // idempotent: a second run finds nothing more to do
    expect(await count('decisions', site.id)).toBe(0);
    expect(await count('excluded_events', site.id)).toBe(0);
    expect(await count('visitor_sessions', site.id)).toBe(0);
    expect(await rows('SELECT reason, events FROM excluded_daily WHERE site = ?1', site.id)).toEqual([{ reason: 'bot_user_agent', events: 2 }]);
    const kept = (await rows<{ visitor_id: string }>('SELECT visitor_id FROM profiles WHERE site = ?1 ORDER BY visitor_id', site.id)).map((r) => r.visitor_id);
    expect(kept).toEqual([`a:${buyer.anon}`, 'u:member-bounded-1'].sort());
    // Their report row and control-group placement too: the rollups hold what they counted.
    for (const table of ['product_views', 'widget_stats', 'rec_visitor_items', 'report_visitors', 'control_group']) expect(await guestRows(table), table).toEqual([]);
    expect(await count('orders', site.id)).toBe(1);
    // The review keeps its decision's campaign for the export.
    expect((await rows<{ campaign: string }>('SELECT campaign FROM reviews WHERE site = ?1', site.id))[0]!.campaign).toBe(shown.campaign);

    // The report over those days reads the same from rollups.
    const after = await report(site.id, `from=${today}&to=${today}`, later);
    expect(widgetOf(after, 'signup_benefit').shown).toMatchObject({ visitors: 1, impressions: 1 });
    expect(after.excluded_events).toEqual(before.excluded_events);

    // Decide: the member is still known; the guest who comes back starts as a new prospect.
    member.advance(37 * DAY).newSession();
    expect((await member.profile()).profile).toMatchObject({ is_member: 1 });
    guest.advance(37 * DAY).newSession();
    await guest.pageView();
    expect((await guest.decide()).overlay?.widget).toBe('signup_benefit');
    expect((await guest.profile()).profile).toMatchObject({ sessions: 1 });
    // Their new session is inside the window again: kept.
    await cron(later + 2 * 60_000);
    expect(await count('visitor_sessions', site.id)).toBe(1);
  });
});

describe('event ids kept for dedupe', () => {
  it('keeps a lowercase UUID as 16 bytes, still recognises its resend, and tells other spellings apart', async () => {
    const site = await createSite();
    const uuid = crypto.randomUUID();
    const first = await postCollect(batchOf(site.id, [makeEvent({ id: uuid }), makeEvent({ id: 'order-123-view' })]));
    expect(await first.json()).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(await rows('SELECT typeof(id) AS kind, length(id) AS bytes FROM event_ids WHERE site = ?1 ORDER BY kind', site.id)).toEqual([
      { kind: 'blob', bytes: 16 },
      { kind: 'text', bytes: 14 },
    ]);
    // The same ids again: duplicates, stored once.
    const again = await postCollect(batchOf(site.id, [makeEvent({ id: uuid }), makeEvent({ id: 'order-123-view' })]));
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 2 });
    // The upper-case spelling is another id (ids are case-sensitive text), stored as text.
    const upper = await postCollect(batchOf(site.id, [makeEvent({ id: uuid.toUpperCase() })]));
    expect(await upper.json()).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await rows<{ id: string }>('SELECT id FROM events WHERE site = ?1 ORDER BY id', site.id)).map((r) => r.id)).toEqual([uuid, 'order-123-view', uuid.toUpperCase()].sort());
  });
});

describe('excluded events over a year', () => {
  it('counts each excluded event once in the report, whether still kept or already rolled up by day', async () => {
    const site = await createSite();
    // Noon in the shop's zone: the first crawl (a second before it) is on the day `from` names.
    const now = atShopHour(12);
    const later = now + 37 * DAY;
    const crawl = (at: number, n: number) =>
      sendAt(at, '/v1/collect', {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', 'User-Agent': GOOGLEBOT },
        body: JSON.stringify(batchOf(site.id, Array.from({ length: n }, () => makeEvent({ anon_id: 'anon-crawler7', ts: at - 1000 })), at)),
      });
    expect(await (await crawl(now, 2)).json()).toMatchObject({ excluded: 2 });
    // Past the hot window: the first day is rolled up; a new crawl inside the window stays as rows.
    await cron(later);
    expect(await (await crawl(later, 3)).json()).toMatchObject({ excluded: 3 });
    await cron(later + 60_000);
    expect(await count('excluded_events', site.id)).toBe(3);
    expect(await rows('SELECT events FROM excluded_daily WHERE site = ?1', site.id)).toEqual([{ events: 2 }]);
    const from = dayString(localClock(now, 'Asia/Seoul').day);
    const to = dayString(localClock(later, 'Asia/Seoul').day);
    const whole = await report(site.id, `from=${from}&to=${to}`, later);
    expect(whole.excluded_events).toMatchObject({ total: 5, by_reason: { bot_user_agent: 5 } });
    // Each part alone: the rolled-up day, and the recent one.
    expect((await report(site.id, `from=${from}&to=${from}`, later)).excluded_events.total).toBe(2);
    expect((await report(site.id, `from=${to}&to=${to}`, later)).excluded_events.total).toBe(3);
  });
});

describe('a shop on its own database', () => {
  it('has its decisions, sessions and forgotten browsers pruned in that database', async () => {
    const site = await siteWith(signup, { database: 'DB_SHOP_B' });
    const now = Date.now();
    const guest = new Shopper(site.id, now);
    await guest.pageView();
    expect((await guest.decide()).overlay?.widget).toBe('signup_benefit');
    const inShopB = async (table: string) => (await env.DB_SHOP_B.prepare(`SELECT count(*) AS n FROM ${table} WHERE site = ?1`).bind(site.id).first<{ n: number }>())!.n;
    expect([await inShopB('decisions'), await inShopB('visitor_sessions'), await inShopB('profiles')]).toEqual([1, 1, 1]);
    await cron(now + 37 * DAY);
    expect([await inShopB('decisions'), await inShopB('visitor_sessions'), await inShopB('profiles'), await inShopB('event_ids')]).toEqual([0, 0, 0, 0]);
  });
});

describe('product activity days past trending', () => {
  it('leave a slice of statements at a time until none is older than the week trending reads', async () => {
    const site = await createSite();
    const now = Date.now();
    const today = firstTrendingDay(now) + 6;
    // 1,200 old item-days (three slices of PRUNE_BATCH_ROWS and a rest) and this week's 3.
    const rowsOf = (days: number[], items: number) => days.flatMap((day) => Array.from({ length: items }, (_, i) => [day, `sku-${i}`] as const));
    const old = rowsOf([today - 30, today - 20, today - 10], 400);
    const recent = rowsOf([today], 3);
    for (const [day, item] of [...old, ...recent]) await env.DB.prepare('INSERT INTO rec_item_days (site, day, item_id, views) VALUES (?1, ?2, ?3, 1)').bind(site.id, day, item).run();
    expect(await pruneTrendingDays(env.DB, site.id, now)).toBe(1200);
    expect(await rows('SELECT day, count(*) AS n FROM rec_item_days WHERE site = ?1 GROUP BY day', site.id)).toEqual([{ day: today, n: 3 }]);
    expect(await pruneTrendingDays(env.DB, site.id, now)).toBe(0);
  });
});

describe('event ids past the hot window', () => {
  it('are swept in key order a bounded window at a time, from where the last run stopped, and only those', async () => {
    const site = await createSite();
    const now = Date.UTC(2026, 10, 30, 12);
    const today = Math.floor(now / DAY);
    // 12,000 ids, as stored: UUIDs as 16-byte blobs and other ids as text; every third one expired.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 11999)
       INSERT INTO event_ids (site, id, day)
       SELECT ?1, CASE WHEN i % 2 = 0 THEN randomblob(16) ELSE 'ev-' || i END, CASE WHEN i % 3 = 0 THEN ?2 - 40 ELSE ?2 - 1 END FROM n`,
    ).bind(site.id, today).run();
    const expired = async () => (await rows<{ n: number }>('SELECT count(*) AS n FROM event_ids WHERE site = ?1 AND day < ?2', site.id, today - 35))[0]!.n;
    expect(await expired()).toBe(4000);

    // One window (5,000 ids in key order) a call: it deletes only the expired ids inside it.
    const first = await pruneEventIds(env.DB, site.id, 35, now, 1);
    expect(first).toBeGreaterThan(1000);
    expect(first).toBeLessThan(2400);
    const second = await pruneEventIds(env.DB, site.id, 35, now, 1);
    expect(second).toBeGreaterThan(1000);
    expect(first + second + (await expired())).toBe(4000);
    // The third window is short: the rest goes, and the cursor is back at the start.
    await pruneEventIds(env.DB, site.id, 35, now, 1);
    expect(await expired()).toBe(0);
    expect(await count('event_ids', site.id)).toBe(8000);
    expect(await rows('SELECT after, next FROM event_id_sweeps WHERE site = ?1', site.id)).toEqual([{ after: '', next: null }]);
    // Nothing left to take: a full run changes nothing.
    expect(await pruneEventIds(env.DB, site.id, 35, now)).toBe(0);
    expect(await count('event_ids', site.id)).toBe(8000);
  });
});
