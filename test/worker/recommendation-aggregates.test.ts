import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { applyStoredBatches } from '../../edge/pipeline/run';
import { batchOf, createSite, postCollect } from './helpers';
import { addToCart, collect, purchase, removeFromCart, rows, shopper, viewItem } from './shop-helpers';

const item = (id: string, category?: string) => ({ item_id: id, item_name: `Item ${id}`, price: 1000, ...(category ? { item_category: category } : {}) });
const pairsOf = (site: string, kind: 'view' | 'buy') =>
  rows<{ item_id: string; other_id: string; weight: number }>(
    'SELECT item_id, other_id, weight FROM rec_pairs WHERE site = ? AND kind = ? ORDER BY item_id, other_id',
    site,
    kind,
  );
/** An event moved to time `ts`. Item days are the UTC days of events' times: a test's events made
 * at successive Date.now()s could fall on two days around UTC midnight, so each test sends all of
 * its events at one moment. */
const atTime = (ts: number) => <E extends object>(event: E) => ({ ...event, ts });

describe('recommendation aggregates at ingest', () => {
  it('counts each co-viewed pair once per session, both ways, across batches', async () => {
    const site = await createSite();
    const alice = shopper();
    await collect(site.id, [viewItem(alice, item('a')), viewItem(alice, item('b'))]);
    // Next batch, same session: c pairs with a and b; b viewed again adds nothing.
    await collect(site.id, [viewItem(alice, item('c')), viewItem(alice, item('b'))]);
    const bob = shopper();
    await collect(site.id, [viewItem(bob, item('a')), viewItem(bob, item('b'))]);
    expect(await pairsOf(site.id, 'view')).toEqual([
      { item_id: 'a', other_id: 'b', weight: 2 },
      { item_id: 'a', other_id: 'c', weight: 1 },
      { item_id: 'b', other_id: 'a', weight: 2 },
      { item_id: 'b', other_id: 'c', weight: 1 },
      { item_id: 'c', other_id: 'a', weight: 1 },
      { item_id: 'c', other_id: 'b', weight: 1 },
    ]);
  });

  it('counts co-purchases once per order, even when the purchase is resent under a new event id', async () => {
    const site = await createSite();
    const alice = shopper();
    const order = [item('a'), item('b'), item('c')];
    const once = atTime(Date.now() - 1000);
    await collect(site.id, [purchase(alice, 'T-1', order), purchase(alice, 'T-1', order)].map(once));
    await collect(site.id, [purchase(alice, 'T-1', order)].map(once));
    await collect(site.id, [purchase(shopper(), 'T-2', [item('a'), item('b')])].map(once));
    const pairs = await pairsOf(site.id, 'buy');
    expect(pairs).toHaveLength(6);
    expect(pairs.find((p) => p.item_id === 'a' && p.other_id === 'b')?.weight).toBe(2);
    expect(pairs.find((p) => p.item_id === 'c' && p.other_id === 'a')?.weight).toBe(1);
    const days = await rows<{ item_id: string; purchases: number }>('SELECT item_id, purchases FROM rec_item_days WHERE site = ? ORDER BY item_id', site.id);
    expect(days).toEqual([
      { item_id: 'a', purchases: 2 },
      { item_id: 'b', purchases: 2 },
      { item_id: 'c', purchases: 1 },
    ]);
  });

  it('counts views, adds to cart and purchases per item per day', async () => {
    const site = await createSite();
    const who = shopper();
    const ts = Date.now() - 1000;
    const day = Math.floor(ts / 86_400_000);
    await collect(site.id, [viewItem(who, item('a')), viewItem(who, item('a')), viewItem(shopper(), item('a')), addToCart(who, item('a')), purchase(who, 'T-9', [item('a')])].map(atTime(ts)));
    expect(await rows('SELECT day, views, carts, purchases FROM rec_item_days WHERE site = ? AND item_id = ?', site.id, 'a')).toEqual([
      { day, views: 3, carts: 1, purchases: 1 },
    ]);
  });

  it("keeps each visitor's views, cart and purchases, and category weights", async () => {
    const site = await createSite();
    const guest = shopper();
    const member = shopper({ user_id: 'member-1' });
    await collect(site.id, [
      viewItem(guest, item('a', 'shoes')),
      viewItem(guest, item('a', 'shoes')),
      addToCart(guest, { ...item('b', 'bags'), quantity: 2 }),
      addToCart(guest, item('c', 'bags')),
    ]);
    await collect(site.id, [removeFromCart(guest, item('b', 'bags')), purchase(guest, 'T-3', [item('c', 'bags')]), viewItem(member, item('a', 'shoes'))]);
    const visitor = `a:${guest.anon_id}`;
    expect(
      await rows('SELECT item_id, views, cart_qty, purchased_at IS NOT NULL AS bought FROM rec_visitor_items WHERE site = ? AND visitor_id = ? ORDER BY item_id', site.id, visitor),
    ).toEqual([
      { item_id: 'a', views: 2, cart_qty: 0, bought: 0 },
      { item_id: 'b', views: 0, cart_qty: 1, bought: 0 },
      { item_id: 'c', views: 0, cart_qty: 0, bought: 1 },
    ]);
    expect(await rows('SELECT category, weight FROM rec_visitor_categories WHERE site = ? AND visitor_id = ? ORDER BY category', site.id, visitor)).toEqual([
      { category: 'bags', weight: 3 + 3 + 5 },
      { category: 'shoes', weight: 2 },
    ]);
    // Members are keyed by user id, as profiles are.
    expect(await rows('SELECT visitor_id, views FROM rec_visitor_items WHERE site = ? AND visitor_id LIKE ?', site.id, 'u:%')).toEqual([
      { visitor_id: 'u:member-1', views: 1 },
    ]);
  });

  it('takes a category from the catalogue when events do not carry one', async () => {
    const site = await createSite();
    const who = shopper();
    await collect(site.id, [viewItem(shopper(), item('a', 'hats'))]);
    await collect(site.id, [viewItem(who, { item_id: 'a' })]);
    expect(await rows('SELECT category, weight FROM rec_visitor_categories WHERE site = ? AND visitor_id = ?', site.id, `a:${who.anon_id}`)).toEqual([
      { category: 'hats', weight: 1 },
    ]);
  });

  it('applies a batch once: processing it again changes nothing', async () => {
    const site = await createSite();
    const who = shopper();
    const response = await postCollect(batchOf(site.id, [viewItem(who, item('a', 'x')), viewItem(who, item('b', 'x')), purchase(who, 'T-1', [item('a'), item('b')])]));
    expect(response.status).toBe(202);
    const snapshot = async () => ({
      pairs: await rows('SELECT * FROM rec_pairs WHERE site = ? ORDER BY kind, item_id, other_id', site.id),
      days: await rows('SELECT * FROM rec_item_days WHERE site = ? ORDER BY item_id', site.id),
      visitor: await rows('SELECT * FROM rec_visitor_items WHERE site = ? ORDER BY item_id', site.id),
      cats: await rows('SELECT * FROM rec_visitor_categories WHERE site = ?', site.id),
    });
    const before = await snapshot();
    expect(before.pairs).toHaveLength(4);
    const { id, received_at } = (await env.DB.prepare('SELECT batch_id AS id, received_at FROM events WHERE site = ?').bind(site.id).first<{ id: string; received_at: number }>())!;
    expect(await applyStoredBatches(env.DB, [{ id, site: site.id, received_at }])).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('stops pairing the items of a session that viewed more than a shopper would', async () => {
    const site = await createSite();
    const crawler = shopper();
    for (let page = 0; page < 4; page++) {
      await collect(site.id, Array.from({ length: 20 }, (_, i) => viewItem(crawler, item(`p${page * 20 + i}`))));
    }
    const [{ n }] = (await rows<{ n: number }>('SELECT COUNT(*) AS n FROM rec_pairs WHERE site = ?', site.id)) as [{ n: number }];
    // Three pages (60 items) pair up fully; the fourth adds nothing.
    expect(n).toBe(60 * 59);
  });
});
