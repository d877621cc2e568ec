import { describe, expect, it } from 'vitest';
import { unitHash } from '../../edge/decide/hash';
import { planBatch, type BatchEventRow } from '../../edge/profiles/batch-plan';

let ts = 1_000;
const row = (name: string, props: unknown = null, over: Partial<BatchEventRow> = {}): BatchEventRow => ({
  name,
  ts: ts++,
  anon_id: 'anon-1',
  user_id: null,
  session_id: 'sess-1',
  url: 'https://shop.example/',
  props: props === null ? null : JSON.stringify(props),
  ...over,
});
const cart = (name: 'add_to_cart' | 'remove_from_cart', item_id: string, quantity?: number) =>
  row(name, { currency: 'KRW', items: [{ item_id, item_name: item_id.toUpperCase(), price: 100, ...(quantity === undefined ? {} : { quantity }) }] });

/** What a fold does to a line that held `q` before the batch. */
const apply = (line: { floor: number; delta: number }, q: number) => Math.max(line.floor, q + line.delta);

describe('planBatch: cart lines folded in event order', () => {
  it('adds and removes, clamping at zero at every step', () => {
    const plan = planBatch([cart('add_to_cart', 'a', 2), cart('remove_from_cart', 'a'), cart('add_to_cart', 'a', 1)], new Set());
    const [line] = plan.cartChanges;
    expect(line).toMatchObject({ item_id: 'a', item: { item_id: 'a', item_name: 'A', price: 100, currency: 'KRW' } });
    for (const before of [0, 1, 5]) expect(apply(line!, before)).toBe(1); // remove-all wipes whatever was there
    const partial = planBatch([cart('remove_from_cart', 'b', 1), cart('add_to_cart', 'b', 3)], new Set()).cartChanges[0]!;
    expect([0, 1, 4].map((q) => apply(partial, q))).toEqual([3, 3, 6]);
    expect(partial.item).not.toBeNull();
  });

  it('a purchase clears the cart and only what is added after it counts', () => {
    const plan = planBatch([cart('add_to_cart', 'a', 2), row('purchase', null), cart('add_to_cart', 'b')], new Set());
    expect(plan.cartClears).toEqual([{ anon_id: 'anon-1', user_id: null, ts: plan.cartClears[0]!.ts }]);
    expect(plan.cartChanges.map((l) => [l.item_id, l.floor, l.delta])).toEqual([['b', 1, 1]]);
    expect(plan.cartTouched).toHaveLength(1);
  });

  it('sessions: page views, landing page and the latest campaign; server events start none', () => {
    const plan = planBatch(
      [
        row('page_view', null, { url: 'https://shop.example/?utm_source=naver&utm_campaign=spring' }),
        row('page_view', null, { url: 'https://shop.example/p/1' }),
        row('view_item', null),
        row('order_delivered', null, { session_id: 'server-side' }),
      ],
      new Set(),
    );
    expect(plan.sessions).toEqual([
      expect.objectContaining({ session_id: 'sess-1', page_views: 2, utm_source: 'naver', utm_medium: null, utm_campaign: 'spring' }),
    ]);
  });

  it('reads utm parameters however the URL spells them, and none from URLs without', () => {
    const sessionOf = (url: string) => planBatch([row('page_view', null, { url, session_id: url })], new Set()).sessions[0]!;
    expect(sessionOf('https://shop.example/?%75tm_source=kakao&utm%5Fmedium=talk')).toMatchObject({ utm_source: 'kakao', utm_medium: 'talk' });
    expect(sessionOf('https://shop.example/?utm\t_campaign=fall')).toMatchObject({ utm_campaign: 'fall' });
    expect(sessionOf('https://shop.example/p/1?id=9&ref=home')).toMatchObject({ utm_source: null, utm_medium: null, utm_campaign: null });
    expect(sessionOf('https://shop.example/p/1#utm_source=naver')).toMatchObject({ utm_source: null });
  });

  it('links only pairs identity_links lacks, and resolves the anonymous events of the batch to the member', () => {
    const events = [cart('add_to_cart', 'a'), row('login', null, { user_id: 'm-1' })];
    expect(planBatch(events, new Set()).links).toEqual([]);
    const plan = planBatch(events, new Set(['anon-1\u0000m-1']));
    expect(plan.links).toEqual([{ anon_id: 'anon-1', user_id: 'm-1', ts: events[1]!.ts }]);
    expect(plan.cartChanges[0]).toMatchObject({ anon_id: 'anon-1', user_id: 'm-1' });
  });
});

describe('unitHash', () => {
  it('is deterministic and spreads similar keys evenly over [0, 1)', () => {
    expect(unitHash('a:anon-1|signup_benefit|holdout')).toBe(unitHash('a:anon-1|signup_benefit|holdout'));
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 20_000; i++) buckets[Math.floor(unitHash(`a:anon-${i}|cart_reminder|holdout`) * 10)]++;
    for (const n of buckets) expect(Math.abs(n - 2000)).toBeLessThan(200);
  });
});
