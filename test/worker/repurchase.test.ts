import { describe, expect, it } from 'vitest';
import { OPERATOR_TOKEN } from './helpers';
import { campaignsConfig, DAY, rows, sendAt, Shopper, siteWith } from './shopper';

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
});
