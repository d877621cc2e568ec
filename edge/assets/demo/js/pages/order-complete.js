import { findProduct } from '../catalog.js';
import { gaItem, pushEcommerce } from '../analytics.js';
import { $, el, replaceChildren } from '../dom.js';
import { formatPrice } from '../format.js';
import { getLang, t } from '../i18n.js';
import { startPage } from '../layout.js';
import { findOrder, saveOrder } from '../orders.js';
import { summaryLines } from '../order-summary.js';
import { shopUrl } from '../urls.js';

const order = findOrder(new URLSearchParams(location.search).get('order'));
const lines = (order?.lines ?? []).flatMap((line) => {
  const product = findProduct(line.id);
  return product ? [{ product, quantity: line.quantity, price: line.price }] : [];
});

function render() {
  if (!order) {
    replaceChildren($('#order-content'), el('div', { class: 'empty-state' },
      el('h1', { class: 'page-title' }, t('order.notFound')),
      el('a', { class: 'button', href: shopUrl() }, t('order.continue')),
    ));
    return;
  }
  const c = order.customer;
  const date = new Date(order.createdAt).toLocaleString(getLang() === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  replaceChildren($('#order-content'),
    el('section', { class: 'order-complete' },
      el('div', { class: 'order-check', 'aria-hidden': 'true' }, '✓'),
      el('h1', { class: 'page-title' }, t('order.title')),
      el('p', { class: 'page-lead' }, t('order.thanks')),
      el('dl', { class: 'order-facts' },
        el('div', {}, el('dt', {}, t('order.number')), el('dd', { class: 'order-number' }, order.transaction_id)),
        el('div', {}, el('dt', {}, t('order.date')), el('dd', {}, date)),
        el('div', {}, el('dt', {}, t('order.paidWith')), el('dd', {}, t(`pay.${order.payment}`))),
        el('div', {}, el('dt', {}, t('order.shipTo')), el('dd', {}, `${c.name} · (${c.postcode}) ${c.address1} ${c.address2}`.trim())),
        el('div', { class: 'summary-total' }, el('dt', {}, t('order.total')), el('dd', {}, formatPrice(order.subtotal + order.shipping))),
      ),
      summaryLines(lines),
      el('div', { class: 'order-actions' },
        el('a', { class: 'button button-primary', href: shopUrl() }, t('order.continue')),
        order.userId ? el('a', { class: 'button', href: shopUrl('account') }, t('order.myOrders')) : null,
      ),
    ),
  );
}

startPage({
  title: () => (order ? t('order.title') : t('order.notFound')),
  render,
  track() {
    // Once per order: reloading the thank-you page must not count the sale twice.
    if (!order || order.purchaseReported) return;
    pushEcommerce('purchase', {
      transaction_id: order.transaction_id,
      shipping: order.shipping,
      items: lines.map(({ product, quantity, price }) => ({ ...gaItem(product, { quantity }), price })),
    });
    saveOrder({ ...order, purchaseReported: true });
  },
});
