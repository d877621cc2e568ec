import { describe, expect, it } from 'vitest';
import { applyToCart, cartItemIds, updateCart, type Cart } from '../../sdk/cart';
import type { Kv } from '../../sdk/kv';
import { fromDataLayer } from '../../sdk/datalayer';

describe('GA4 dataLayer entries', () => {
  it("maps GTM's {event, ecommerce} shape", () => {
    expect(fromDataLayer({ event: 'add_to_cart', ecommerce: { currency: 'KRW', value: 19000, items: [{ item_id: 'sku-1', price: 19000, quantity: 1 }] } })).toEqual([
      'add_to_cart',
      { currency: 'KRW', value: 19000, items: [{ item_id: 'sku-1', price: 19000, quantity: 1 }] },
    ]);
  });

  it("maps gtag's arguments shape", () => {
    function gtagArguments(..._args: unknown[]) {
      // eslint-disable-next-line prefer-rest-params
      return arguments;
    }
    expect(fromDataLayer(gtagArguments('event', 'purchase', { transaction_id: 'T-1', value: 10, items: [{ item_id: 'a' }] }))).toEqual([
      'purchase',
      { transaction_id: 'T-1', value: 10, items: [{ item_id: 'a' }] },
    ]);
  });

  it('passes values as the shop pushed them: the collector types what GA4 tolerates', () => {
    const [, props] = fromDataLayer({ event: 'purchase', ecommerce: { transaction_id: 7, value: '19.90', coupon: null, items: [{ item_id: 42, price: '9.95', quantity: '2' }] } })!;
    expect(props).toEqual({ transaction_id: 7, value: '19.90', coupon: null, items: [{ item_id: 42, price: '9.95', quantity: '2' }] });
  });

  it('reads every GA4 e-commerce event with items, and the ones that come without', () => {
    for (const name of ['add_shipping_info', 'add_payment_info', 'add_to_wishlist', 'view_promotion', 'select_promotion', 'refund']) {
      expect(fromDataLayer({ event: name, ecommerce: { items: [{ item_id: 'a' }] } })?.[0]).toBe(name);
    }
    expect(fromDataLayer(['event', 'refund', { transaction_id: 'T-1' }])).toEqual(['refund', { transaction_id: 'T-1' }]);
    expect(fromDataLayer(['event', 'add_payment_info', { payment_type: 'Bank wire' }])).toEqual(['add_payment_info', { payment_type: 'Bank wire' }]);
  });

  it('takes top-level params for non-e-commerce GA4 events (login, sign_up, search)', () => {
    // GTM's push is its own props (the `event` key included, like the gtm.* keys GTM adds).
    expect(JSON.stringify(fromDataLayer({ event: 'login', method: 'kakao' }))).toBe('["login",{"event":"login","method":"kakao"}]');
    expect(fromDataLayer(['event', 'search', { search_term: 'linen' }])).toEqual(['search', { search_term: 'linen' }]);
  });

  it('ignores everything that is not a GA4 e-commerce event', () => {
    for (const entry of [{ event: 'gtm.js' }, { ecommerce: null }, ['config', 'G-XXXX'], ['event', 'page_view'], 'add_to_cart', null, { event: 'custom_thing' }]) {
      expect(fromDataLayer(entry)).toBeNull();
    }
  });
});

describe('the cart mirror', () => {
  const empty: Cart = { items: [], updated_at: 0 };
  const add = (cart: Cart, item: Record<string, unknown>) => applyToCart(cart, 'add_to_cart', { currency: 'KRW', items: [item] }, 1)!;

  it('adds lines and sums quantities of the same item and variant', () => {
    let cart = add(empty, { item_id: 'shirt', item_variant: 'M', price: 19000 });
    cart = add(cart, { item_id: 'shirt', item_variant: 'M', quantity: 2 });
    cart = add(cart, { item_id: 'shirt', item_variant: 'L' });
    expect(cart.items).toEqual([
      { item_id: 'shirt', item_variant: 'M', price: 19000, quantity: 3 },
      { item_id: 'shirt', item_variant: 'L', quantity: 1 },
    ]);
    expect(cart.currency).toBe('KRW');
  });

  it('removes a quantity, or the whole line when none is given', () => {
    let cart = add(empty, { item_id: 'a', quantity: 3 });
    cart = add(cart, { item_id: 'b' });
    cart = applyToCart(cart, 'remove_from_cart', { items: [{ item_id: 'a', quantity: 1 }] }, 2)!;
    expect(cart.items).toEqual([{ item_id: 'a', quantity: 2 }, { item_id: 'b', quantity: 1 }]);
    cart = applyToCart(cart, 'remove_from_cart', { items: [{ item_id: 'b' }] }, 3)!;
    expect(cart.items).toEqual([{ item_id: 'a', quantity: 2 }]);
    expect(cart.updated_at).toBe(3);
  });

  it('is emptied by a purchase and untouched by other events', () => {
    const cart = add(empty, { item_id: 'a' });
    expect(applyToCart(cart, 'purchase', { transaction_id: 'T', items: [{ item_id: 'a' }] }, 5)).toMatchObject({ items: [], updated_at: 5 });
    expect(applyToCart(cart, 'view_item', { items: [{ item_id: 'z' }] }, 5)).toBeNull();
  });
});

describe('the cart handed to widgets', () => {
  it('lists the item ids left in the mirror after adds, removes and a purchase', () => {
    const store = new Map<string, string | null>();
    const kv: Kv = { get: (key) => store.get(key) ?? null, set: (key, value) => void store.set(key, value) };
    updateCart(kv, 'add_to_cart', { items: [{ item_id: 'mug', quantity: 2 }, { item_id: 'tee', quantity: 1 }] }, 1);
    updateCart(kv, 'remove_from_cart', { items: [{ item_id: 'tee', quantity: 1 }] }, 2);
    expect(cartItemIds(kv)).toEqual(['mug']);
    updateCart(kv, 'purchase', { transaction_id: 'T1', items: [{ item_id: 'mug', quantity: 2 }] }, 3);
    expect(cartItemIds(kv)).toEqual([]);
  });
});
