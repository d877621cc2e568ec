// The money part of the cart and checkout: subtotal, shipping, total.
import { el } from './dom.js';
import { formatPrice, FREE_SHIPPING_FROM, shippingFor } from './format.js';
import { localized, t } from './i18n.js';
import { productImage } from './product-card.js';

/** @param {number} subtotal */
export function totals(subtotal) {
  const shipping = shippingFor(subtotal);
  return { subtotal, shipping, total: subtotal + shipping };
}

/** @param {number} subtotal */
export function summaryList(subtotal) {
  const { shipping, total } = totals(subtotal);
  return el('dl', { class: 'summary' },
    el('div', {}, el('dt', {}, t('cart.subtotal')), el('dd', {}, formatPrice(subtotal))),
    el('div', {}, el('dt', {}, t('cart.shipping')), el('dd', {}, shipping ? formatPrice(shipping) : t('cart.free'))),
    el('div', { class: 'summary-total' }, el('dt', {}, t('cart.total')), el('dd', {}, formatPrice(total))),
  );
}

/** "Add ₩5,000 more for free shipping", or that the threshold is met. @param {number} subtotal */
export function freeShippingNote(subtotal) {
  const left = FREE_SHIPPING_FROM - subtotal;
  return el('p', { class: 'free-shipping-note' }, left > 0 ? t('cart.freeLeft', { amount: formatPrice(left) }) : t('cart.freeDone'));
}

/** The ordered products, one line each: image, name, quantity, line price.
 * @param {{ product: import('./catalog.js').Product, quantity: number, price: number }[]} lines */
export function summaryLines(lines) {
  return el('ul', { class: 'summary-lines' }, lines.map(({ product, quantity, price }) =>
    el('li', { class: 'summary-line' },
      productImage(product),
      el('span', { class: 'summary-line-name' }, localized(product.name), el('span', { class: 'summary-line-qty' }, t('qty.count', { n: quantity }))),
      el('span', { class: 'summary-line-price' }, formatPrice(price * quantity)),
    ),
  ));
}
