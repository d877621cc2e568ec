import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { SiteConfig } from '../../edge/contract';
import { momentsIn } from '../../edge/handoff/moments';
import { OPERATOR_TOKEN } from './helpers';
import { PAIRS_KEPT } from '../../edge/profiles/repurchase';
import { campaignsConfig, DAY, rows, sendAt, serverEvents, Shopper, siteWith } from './shopper';

const T0 = Date.UTC(2026, 5, 1);
const coffee = { item_id: 'sku-coffee', item_name: 'Drip coffee 30 packs', price: 18000, quantity: 1 };

const replenish = campaignsConfig([
  { id: 'reorder', name: 'Reorder', template: 'welcome_back', trigger: { type: 'immediate' }, caps: { per_session: null, per_day: null }, audience: { stages: ['new', 'active', 'at_risk'], consent: 'none', repurchase_due: { days_before: 3, days_after: 14 } } },
]);

let tx = 0;
const buy = (s: Shopper, item = coffee) => s.track('purchase', { transaction_id: `T-${++tx}-${s.anon}`, value: item.price, items: [item] });

/** A shopper who bought the product twice, `gapDays` apart. */
async function repeatBuyer(site: string, gapDays: number) {
  const s = new Shopper(site, T0);
  await buy(s);
  s.advance(gapDays * DAY);
  await buy(s);
}

const due = async (s: Shopper) => (await s.profile()).facts.repurchase as { item_id: string; cycle_days: number; cycle_source: string; due_at: number }[];

describe('repurchase cycles', () => {
  it('learns a product cycle as the median gap of repeat purchases once there are enough pairs', async () => {
    const site = await siteWith(replenish);
    const target = new Shopper(site.id, T0 + 300 * DAY);
    await buy(target);
    // Four pairs: not enough to trust, and the catalogue gives no cycle: no due date.
    for (const gap of [28, 30, 31, 32]) await repeatBuyer(site.id, gap);
    expect(await due(target)).toEqual([]);
    expect((await target.profile()).eligibility[0].reason).toBe('no product is due for repurchase');
    // The fifth pair, and a sixth far off (someone who forgot): the median shrugs it off.
    await repeatBuyer(site.id, 30);
    await repeatBuyer(site.id, 200);
    expect(await rows('SELECT pairs, median_ms FROM item_cycles WHERE site = ?', site.id)).toEqual([{ pairs: 6, median_ms: 30.5 * DAY }]);
    expect(await due(target)).toEqual([
      { item_id: 'sku-coffee', item_name: 'Drip coffee 30 packs', last_purchased_at: target.now - 10, cycle_days: 30.5, cycle_source: 'learned', due_at: target.now - 10 + 30.5 * DAY },
    ]);

    // Due from 3 days before the date to 14 days after, both ends included.
    target.advance(27.5 * DAY - DAY / 24);
    expect(await target.overlay()).toBeNull();
    target.advance(DAY / 24 - 10);
    expect((await target.overlay())?.campaign).toBe('reorder');
    target.advance((3 + 14) * DAY);
    expect((await target.overlay())?.campaign).toBe('reorder');
    target.advance(DAY / 24);
    expect(await target.overlay()).toBeNull();
  });

  it("falls back to the catalogue's replenish_days until enough pairs are seen; a resent purchase adds no pair", async () => {
    const site = await siteWith(replenish);
    const upload = await sendAt(T0, `/v1/admin/sites/${site.id}/catalog`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ items: [{ item_id: 'sku-coffee', name: 'Drip coffee 30 packs', replenish_days: 30 }, { item_id: 'sku-mug', name: 'Mug' }] }),
    });
    expect(upload.status).toBe(200);
    const s = new Shopper(site.id, T0);
    await buy(s);
    await buy(s, { item_id: 'sku-mug', item_name: 'Mug', price: 9000, quantity: 1 });
    const facts = await due(s);
    expect(facts.map((f) => [f.item_id, f.cycle_days, f.cycle_source])).toEqual([['sku-coffee', 30, 'catalog']]);

    // The same purchase sent twice (another event id) is one purchase, not a pair.
    s.advance(20 * DAY);
    const again = s.event('purchase', { transaction_id: 'T-twice', value: 18000, items: [coffee] });
    await s.send(again);
    await s.send({ ...again, id: `evt-${crypto.randomUUID()}` });
    expect(await rows('SELECT gap_ms FROM item_repurchases WHERE site = ?', site.id)).toEqual([{ gap_ms: 20 * DAY }]);
    expect((await due(s))[0]).toMatchObject({ cycle_source: 'catalog', due_at: s.now - 10 + 30 * DAY });
  });

  it(`keeps each product's latest ${PAIRS_KEPT} pairs: the cycle follows how it is bought now, and a purchase reads a bounded set`, async () => {
    const site = await siteWith(replenish);
    const orders = (members: string[], tag: string) => members.map((user) => ({ name: 'purchase', user_id: user, props: { transaction_id: `T-${tag}-${user}`, value: 18000, currency: 'KRW', items: [coffee] } }));
    const send = async (now: number, events: Record<string, unknown>[]) => {
      for (let i = 0; i < events.length; i += 100) expect((await serverEvents(site.id, now, events.slice(i, i + 100))).body.accepted).toBe(Math.min(100, events.length - i));
    };
    // 200 members once bought it every 60 days; later 120 others buy it every 30.
    const before = Array.from({ length: 200 }, (_, i) => `before-${i}`);
    const now = Array.from({ length: 120 }, (_, i) => `now-${i}`);
    await send(T0, orders(before, '1'));
    await send(T0 + 60 * DAY, [...orders(before, '2'), ...orders(now, '1')]);
    await send(T0 + 90 * DAY, orders(now, '2'));
    const kept = await rows<{ gap_days: number; n: number }>('SELECT gap_ms / 86400000 AS gap_days, count(*) AS n FROM item_repurchases WHERE site = ? GROUP BY 1 ORDER BY 1', site.id);
    // The latest 201: all 120 of the 30-day pairs and the 81 latest of the 60-day ones. Over all
    // 320 pairs the median would be 60 days.
    expect(kept).toEqual([{ gap_days: 30, n: 120 }, { gap_days: 60, n: PAIRS_KEPT - 120 }]);
    expect(await rows('SELECT pairs, median_ms FROM item_cycles WHERE site = ?', site.id)).toEqual([{ pairs: PAIRS_KEPT, median_ms: 30 * DAY }]);
  });
});

describe('the repurchase_due hand-off', () => {
  it("finds members whose product is due by its cycle, learned or the catalogue's, by the product's buyers", async () => {
    const site = await siteWith(replenish);
    const upload = await sendAt(T0, `/v1/admin/sites/${site.id}/catalog`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        items: [
          { item_id: 'sku-vitamin', name: 'Vitamin C 60', replenish_days: 30 },
          { item_id: 'sku-coffee', name: 'Drip coffee 30 packs', replenish_days: 90 }, // learned below: the pairs win
          { item_id: 'sku-mug', name: 'Mug' }, // no cycle at all
        ],
      }),
    });
    expect(upload.status).toBe(200);
    for (const gap of [20, 20, 20, 21, 21]) await repeatBuyer(site.id, gap); // coffee: 20 days learned (an anonymous buyer each)
    const vitamin = { item_id: 'sku-vitamin', item_name: 'Vitamin C 60', price: 12000, quantity: 1 };
    const mug = { item_id: 'sku-mug', item_name: 'Mug', price: 9000, quantity: 1 };
    const start = T0 + 100 * DAY;
    const kim = new Shopper(site.id, start);
    await kim.identify('m-kim');
    await buy(kim, vitamin);
    await buy(kim, mug);
    const lee = new Shopper(site.id, start + DAY);
    await lee.identify('m-lee');
    await buy(lee, coffee);
    const guest = new Shopper(site.id, start); // no member id: nobody to write to
    await buy(guest, vitamin);

    const stages = SiteConfig.parse({}).stages;
    const trigger = { kind: 'repurchase_due', days_before: 3 } as const;
    const found = async (since: number, until: number) =>
      (await momentsIn(env.DB, site.id, trigger, stages, since, until, 100)).map((m) => ({ visitor_id: m.visitor_id, at: m.at, data: JSON.parse(m.data) }));
    const kimBought = kim.now - 10;
    const leeBought = lee.now - 10;
    // Lee's coffee: bought a day after, due 20.x days on (learned, not the catalogue's 90), 3 days before.
    const leeDue = leeBought + (await rows<{ median_ms: number }>('SELECT median_ms FROM item_cycles WHERE site = ?', site.id))[0]!.median_ms;
    expect(await found(start, start + 40 * DAY)).toEqual([
      { visitor_id: 'u:m-lee', at: leeDue - 3 * DAY, data: { item_id: 'sku-coffee', item_name: 'Drip coffee 30 packs', price: null, last_purchased_at: leeBought, due_at: leeDue } },
      { visitor_id: 'u:m-kim', at: kimBought + 27 * DAY, data: { item_id: 'sku-vitamin', item_name: 'Vitamin C 60', price: null, last_purchased_at: kimBought, due_at: kimBought + 30 * DAY } },
    ]);
    // The window is (since, until]: a moment at its end is in it, at its start is not.
    expect((await found(kimBought + 27 * DAY - 1, kimBought + 27 * DAY)).map((m) => m.visitor_id)).toEqual(['u:m-kim']);
    expect(await found(kimBought + 27 * DAY, kimBought + 27 * DAY + 1)).toEqual([]);
  });
});
