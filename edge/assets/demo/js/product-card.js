// Product tiles and prices, and the GA4 list events that go with a grid of tiles.
import { gaItem, pushEcommerce } from './analytics.js';
import { el } from './dom.js';
import { discountPercent, formatPrice } from './format.js';
import { localized, t } from './i18n.js';
import { imageUrl, productUrl } from './urls.js';

/** @typedef {import('./catalog.js').Product} Product */
/** A product list as GA4 names it: `item_list_id` / `item_list_name`. @typedef {{ id: string, name: string }} List */

/** Price, with the discount rate and the crossed-out list price when discounted. @param {Product} product */
export function priceTag(product, className = 'price') {
  const discounted = product.listPrice && product.listPrice > product.price;
  return el('p', { class: className },
    discounted ? el('span', { class: 'price-rate' }, el('span', { class: 'visually-hidden' }, `${t('price.discount')} `), `${discountPercent(product.price, product.listPrice)}%`) : null,
    el('strong', { class: 'price-now' }, formatPrice(product.price)),
    discounted ? el('del', { class: 'price-list' }, el('span', { class: 'visually-hidden' }, `${t('price.list')} `), formatPrice(product.listPrice)) : null,
  );
}

/** @param {Product} product */
export const productImage = (product, attrs = {}) =>
  el('img', { src: imageUrl(product.id), alt: '', width: 400, height: 400, loading: 'lazy', decoding: 'async', ...attrs });

/**
 * A grid of product tiles. Choosing one pushes GA4 `select_item` (then the link navigates).
 * @param {Product[]} products @param {List} list
 */
export function productGrid(products, list) {
  return el('ul', { class: 'product-grid' }, products.map((product, index) =>
    el('li', { class: 'product-card' },
      el('a', { href: productUrl(product.id), class: 'product-link', onclick: () => pushEcommerce('select_item', { item_list_id: list.id, item_list_name: list.name, items: [gaItem(product, { index, list })] }) },
        el('div', { class: 'product-thumb' },
          productImage(product),
          product.badge ? el('span', { class: `badge badge-${product.badge}` }, t(product.badge === 'best' ? 'badge.best' : 'badge.new')) : null,
        ),
        el('p', { class: 'product-brand' }, product.brand),
        el('p', { class: 'product-name' }, localized(product.name)),
        priceTag(product),
      ),
    ),
  ));
}

/** GA4 `view_item_list` for a grid shown to the shopper. @param {Product[]} products @param {List} list */
export function trackList(products, list) {
  pushEcommerce('view_item_list', { item_list_id: list.id, item_list_name: list.name, items: products.map((product, index) => gaItem(product, { index, list })) });
}
