// GA4 e-commerce, the way a shop instrumented for Google Analytics / Tag Manager already does it:
// pushes to `window.dataLayer`. Touchpoint's SDK reads the same pushes, so the shop sends each
// e-commerce event once, in GA4's format, and both tools get it.
import { findCategory } from './catalog.js';
import { imageUrl, productUrl } from './urls.js';

/** @type {any[]} */
const dataLayer = (window.dataLayer = window.dataLayer || []);

/**
 * A GA4 item. Names are the shop's canonical (Korean) names whatever language the shopper reads,
 * so reports and recommendations do not split one product in two.
 * @param {import('./catalog.js').Product} product
 * @param {{ quantity?: number, index?: number, list?: { id: string, name: string } }} [options]
 */
export function gaItem(product, { quantity = 1, index, list } = {}) {
  return {
    item_id: product.id,
    item_name: product.name.ko,
    item_brand: product.brand,
    item_category: findCategory(product.category)?.name.ko ?? product.category,
    price: product.price,
    ...(product.listPrice ? { discount: product.listPrice - product.price } : {}),
    quantity,
    ...(index !== undefined ? { index } : {}),
    ...(list ? { item_list_id: list.id, item_list_name: list.name } : {}),
    image_url: imageUrl(product.id),
    url: productUrl(product.id),
  };
}

/** Sum of price × quantity: GA4's `value` for item events. @param {{ price: number, quantity: number }[]} items */
export const valueOf = (items) => items.reduce((sum, item) => sum + item.price * item.quantity, 0);

/** GA4 gives list events no currency or value; the others carry both. */
const LIST_EVENTS = new Set(['view_item_list', 'select_item']);

/**
 * One GA4 e-commerce event. The `{ecommerce: null}` push first is Google's advice: it clears the
 * previous event's ecommerce object, which GTM would otherwise merge into this one.
 * @param {'view_item_list' | 'select_item' | 'view_item' | 'add_to_cart' | 'remove_from_cart' | 'view_cart' | 'begin_checkout' | 'purchase'} event
 * @param {{ items: ReturnType<typeof gaItem>[], [key: string]: unknown }} ecommerce
 */
export function pushEcommerce(event, ecommerce) {
  const money = LIST_EVENTS.has(event) ? {} : { currency: 'KRW', value: valueOf(ecommerce.items) };
  dataLayer.push({ ecommerce: null });
  dataLayer.push({ event, ecommerce: { ...money, ...ecommerce } });
}

/** GA4's `search` event (not e-commerce: its parameter sits on the push itself). @param {string} term */
export function pushSearch(term) {
  dataLayer.push({ event: 'search', search_term: term });
}
