import { addToCart } from '../cart.js';
import { findCategory, findProduct } from '../catalog.js';
import { gaItem, pushEcommerce } from '../analytics.js';
import { $, el, replaceChildren } from '../dom.js';
import { formatPrice, shippingFor } from '../format.js';
import { localized, t } from '../i18n.js';
import { breadcrumb, startPage } from '../layout.js';
import { priceTag, productImage } from '../product-card.js';
import { quantityStepper } from '../quantity.js';
import { categoryUrl, shopUrl } from '../urls.js';

const product = findProduct(new URLSearchParams(location.search).get('id'));
let quantity = 1;
let added = false;

/** Adds the chosen quantity and pushes GA4 add_to_cart with what was really added. */
function add() {
  if (!product) return 0;
  const count = addToCart(product.id, quantity);
  if (count > 0) pushEcommerce('add_to_cart', { items: [gaItem(product, { quantity: count })] });
  return count;
}

function render() {
  const content = $('#product-content');
  if (!product) {
    replaceChildren(content, el('div', { class: 'empty-state' },
      el('h1', { class: 'page-title' }, t('product.notFound')),
      el('a', { class: 'button', href: shopUrl() }, t('product.backHome')),
    ));
    return;
  }
  const category = findCategory(product.category);
  const total = el('strong', { class: 'buy-total-amount' }, formatPrice(product.price * quantity));
  const status = el('p', { class: 'added-status', role: 'status' });
  const showAdded = () => replaceChildren(status, t('product.added'), ' ', el('a', { href: shopUrl('cart') }, t('product.viewCart')));
  if (added) showAdded();
  const fee = shippingFor(product.price);

  replaceChildren(content,
    breadcrumb([t('crumb.home'), shopUrl()], [category ? localized(category.name) : '', categoryUrl(product.category)], [localized(product.name)]),
    el('article', { class: 'product-detail' },
      el('div', { class: 'product-gallery' }, productImage(product, { loading: 'eager', fetchpriority: 'high' })),
      el('div', { class: 'product-info' },
        el('p', { class: 'product-brand' }, product.brand),
        el('h1', { class: 'product-title' }, localized(product.name)),
        priceTag(product, 'price price-large'),
        el('dl', { class: 'product-facts' },
          el('dt', {}, t('product.shipping')), el('dd', {}, t('product.shippingText', { fee: fee ? formatPrice(fee) : t('cart.free') })),
          el('dt', {}, t('product.delivery')), el('dd', {}, t('product.deliveryText')),
        ),
        el('div', { class: 'buy-box' },
          el('p', { class: 'buy-box-name' }, localized(product.name)),
          quantityStepper({ value: quantity, label: t('product.quantity'), onChange: (q) => { quantity = q; total.textContent = formatPrice(product.price * q); } }),
        ),
        el('p', { class: 'buy-total' }, el('span', {}, t('product.total')), total),
        el('div', { class: 'buy-actions' },
          el('button', { type: 'button', class: 'button button-large', onclick: () => { if (add() > 0) { added = true; showAdded(); } } }, t('product.addToCart')),
          el('button', { type: 'button', class: 'button button-large button-primary', onclick: () => { add(); location.assign(shopUrl('checkout')); } }, t('product.buyNow')),
        ),
        status,
      ),
    ),
    el('section', { class: 'product-description', 'aria-labelledby': 'product-details' },
      el('h2', { id: 'product-details', class: 'section-title' }, t('product.details')),
      el('p', {}, localized(product.description)),
    ),
  );
}

startPage({
  category: product?.category,
  title: () => (product ? localized(product.name) : t('product.notFound')),
  render,
  track() {
    if (product) pushEcommerce('view_item', { items: [gaItem(product)] });
  },
});
