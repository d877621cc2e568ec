import { cartLines, cartSubtotal, setQuantity } from '../cart.js';
import { gaItem, pushEcommerce } from '../analytics.js';
import { $, el, replaceChildren } from '../dom.js';
import { formatPrice } from '../format.js';
import { localized, t } from '../i18n.js';
import { startPage } from '../layout.js';
import { freeShippingNote, summaryList } from '../order-summary.js';
import { priceTag, productImage } from '../product-card.js';
import { quantityStepper } from '../quantity.js';
import { productUrl, shopUrl } from '../urls.js';

/** @typedef {import('../cart.js').CartLine} CartLine */

/** Changes a line's quantity and pushes GA4 add_to_cart / remove_from_cart for the difference. */
function changeQuantity(/** @type {CartLine} */ line, quantity) {
  const before = line.quantity;
  const after = setQuantity(line.product.id, quantity);
  if (after > before) pushEcommerce('add_to_cart', { items: [gaItem(line.product, { quantity: after - before })] });
  if (after < before) pushEcommerce('remove_from_cart', { items: [gaItem(line.product, { quantity: before - after })] });
  line.quantity = after;
}

function updateSummary() {
  const subtotal = cartSubtotal();
  replaceChildren($('#cart-summary-body'), freeShippingNote(subtotal), summaryList(subtotal));
}

function lineRow(/** @type {CartLine} */ line) {
  const name = localized(line.product.name);
  const lineTotal = el('strong', { class: 'cart-line-total' }, formatPrice(line.product.price * line.quantity));
  return el('li', { class: 'cart-line' },
    el('a', { class: 'cart-line-thumb', href: productUrl(line.product.id), tabindex: '-1', 'aria-hidden': 'true' }, productImage(line.product)),
    el('div', { class: 'cart-line-info' },
      el('p', { class: 'product-brand' }, line.product.brand),
      el('a', { class: 'cart-line-name', href: productUrl(line.product.id) }, name),
      priceTag(line.product),
    ),
    el('div', { class: 'cart-line-controls' },
      quantityStepper({
        value: line.quantity,
        label: t('cart.quantityAria', { name }),
        onChange: (quantity) => {
          changeQuantity(line, quantity);
          lineTotal.textContent = formatPrice(line.product.price * line.quantity);
          updateSummary();
        },
      }),
      lineTotal,
      el('button', {
        type: 'button',
        class: 'link-button cart-line-remove',
        'aria-label': t('cart.removeAria', { name }),
        onclick: () => {
          changeQuantity(line, 0);
          render();
          $('#cart-title').focus();
        },
      }, t('cart.remove')),
    ),
  );
}

function render() {
  const lines = cartLines();
  const title = el('h1', { id: 'cart-title', class: 'page-title', tabindex: '-1' }, t('cart.title'));
  if (!lines.length) {
    replaceChildren($('#cart-content'), title, el('div', { class: 'empty-state' },
      el('p', {}, t('cart.empty')),
      el('a', { class: 'button button-primary', href: shopUrl() }, t('cart.continue')),
    ));
    return;
  }
  replaceChildren($('#cart-content'),
    title,
    el('div', { class: 'cart-layout' },
      el('ul', { class: 'cart-lines' }, lines.map(lineRow)),
      el('aside', { class: 'cart-summary', 'aria-label': t('cart.total') },
        el('div', { id: 'cart-summary-body' }),
        el('a', { class: 'button button-primary button-large button-block', href: shopUrl('checkout') }, t('cart.checkout')),
        el('a', { class: 'continue-link', href: shopUrl() }, t('cart.continue')),
      ),
    ),
  );
  updateSummary();
}

startPage({
  title: () => t('cart.title'),
  render,
  track() {
    pushEcommerce('view_cart', { items: cartLines().map((line) => gaItem(line.product, { quantity: line.quantity })) });
  },
});
