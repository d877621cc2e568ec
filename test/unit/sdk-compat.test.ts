import { describe, expect, it } from 'vitest';
import fromCompat, { fromConsentMode } from '../../sdk/compat';
import { needsCompat } from '../../sdk/datalayer';
import { gtm4wp116, magepal, uaEnhanced, wooGa18 } from '../fixtures/datalayers';

describe('which dataLayer entries need sdk-compat.js', () => {
  it('takes UA shapes, Consent Mode commands and WooCommerce’s product click; leaves GA4 e-commerce alone', () => {
    expect(needsCompat(uaEnhanced.pushes[0] as never)).toBe(true);
    expect(needsCompat(magepal.pushes[2] as never)).toBe(true);
    expect(needsCompat(wooGa18.pushes[3] as never)).toBe(true);
    expect(needsCompat(['consent', 'default', { analytics_storage: 'denied' }] as never)).toBe(true);
    expect(needsCompat(['event', 'select_content', { content_type: 'product', content_id: 5 }] as never)).toBe(true);
    expect(needsCompat({ event: 'add_to_cart', ecommerce: { items: [{ item_id: 'a', id: 'a' }] } })).toBe(false);
    expect(needsCompat(['event', 'add_to_cart', { items: [{ item_id: 'a' }] }] as never)).toBe(false);
    expect(needsCompat({ event: 'gtm.js' })).toBe(false);
  });
});

describe('Universal Analytics to GA4', () => {
  it('translates enhanced e-commerce actions with products and actionField', () => {
    expect(uaEnhanced.pushes.flatMap((entry) => fromCompat(entry)).map(([name]) => name)).toEqual([
      'view_item_list', 'select_item', 'view_item', 'add_to_cart', 'add_to_cart', 'remove_from_cart', 'begin_checkout', 'purchase',
    ]);
    const [[, purchase]] = fromCompat(uaEnhanced.pushes[7]) as [[string, Record<string, unknown>]];
    expect(purchase).toMatchObject({ currency: 'KRW', transaction_id: 'UA-6001', value: '27000.00', shipping: '3000.00', items: [{ item_id: '301', item_name: 'Bowl', price: '8000.00', quantity: 3 }] });
    const [[, list]] = fromCompat(uaEnhanced.pushes[0]) as [[string, Record<string, unknown>]];
    expect(list).toMatchObject({ item_list_name: 'Category', items: [{ item_id: '301', item_list_name: 'Category', index: 1 }, { item_id: '302', index: 2 }] });
  });

  it('translates classic e-commerce (MagePal) and gtag.js UA items (WooCommerce GA 1.8)', () => {
    expect(fromCompat(magepal.pushes[2])).toEqual([
      ['purchase', expect.objectContaining({ transaction_id: 100000017, value: '49.00', shipping: '5.00', items: [{ item_id: 'WS12', item_name: 'Radiant Tee', price: '22.00', quantity: 2 }] })],
    ]);
    expect(fromCompat(wooGa18.pushes[1])).toEqual([['select_item', { items: [{ item_id: '#401', item_name: 'Scarf', item_category: 'Accessories', quantity: 1 }] }]]);
  });

  it('skips UA twins on a page that also pushes GA4 (GTM4WP 1.16), but keeps GA4-named pushes with UA items', () => {
    expect(fromCompat(gtm4wp116.pushes[2], gtm4wp116.pushes)).toEqual([]);
    expect(fromCompat(gtm4wp116.pushes[2], [])).toHaveLength(1);
    expect(fromCompat({ event: 'add_to_cart', ecommerce: { items: [{ id: 'P-1', name: 'Pan', quantity: 1 }] } }, gtm4wp116.pushes)).toEqual([
      ['add_to_cart', { items: [{ item_id: 'P-1', item_name: 'Pan', quantity: 1 }] }],
    ]);
    expect(fromCompat(['event', 'checkout_progress', { items: [{ id: 'P-1' }] }])).toEqual([]);
  });

  it('reads WooCommerce GA 2.x’s product click as select_item, other content as nothing', () => {
    expect(fromCompat(['event', 'select_content', { content_type: 'product', content_id: 55 }])).toEqual([['select_item', { content_type: 'product', content_id: 55, items: [{ item_id: 55 }] }]]);
    expect(fromCompat(['event', 'select_content', { content_type: 'article', content_id: 'x' }])).toEqual([]);
  });
});

describe('Google Consent Mode v2', () => {
  it('maps analytics_storage to analytics, and the ad signals together to marketing', () => {
    expect(fromConsentMode({ analytics_storage: 'granted', ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' })).toEqual({ analytics: true, marketing: true });
    expect(fromConsentMode({ analytics_storage: 'granted', ad_storage: 'granted', ad_user_data: 'denied' })).toEqual({ analytics: true, marketing: false });
    expect(fromConsentMode({ ad_storage: 'denied' })).toEqual({ analytics: undefined, marketing: false });
    expect(fromConsentMode({ functionality_storage: 'granted' })).toEqual({ analytics: undefined, marketing: undefined });
  });
});
