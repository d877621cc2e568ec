import { currentUser } from '../account.js';
import { cartLines, cartSubtotal, clearCart } from '../cart.js';
import { gaItem, pushEcommerce } from '../analytics.js';
import { $, el, replaceChildren } from '../dom.js';
import { formatPrice } from '../format.js';
import { checkbox, checkForm, field, formValues } from '../forms.js';
import { t } from '../i18n.js';
import { startPage } from '../layout.js';
import { newTransactionId, saveOrder } from '../orders.js';
import { summaryLines, summaryList, totals } from '../order-summary.js';
import { shopUrl } from '../urls.js';

const PAYMENTS = /** @type {const} */ (['card', 'kakao', 'naver', 'bank']);
const MEMOS = /** @type {const} */ (['memoNone', 'memoDoor', 'memoGuard', 'memoCall']);

const lines = cartLines();
if (!lines.length) location.replace(shopUrl('cart'));

/** What the shopper typed survives a language switch (the form is drawn again). */
let draft = {};

function placeOrder(/** @type {SubmitEvent} */ event) {
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.currentTarget);
  if (!checkForm(form)) return;
  const values = formValues(form);
  const subtotal = cartSubtotal();
  const order = {
    transaction_id: newTransactionId(),
    createdAt: Date.now(),
    userId: currentUser()?.id ?? null,
    lines: cartLines().map(({ product, quantity }) => ({ id: product.id, quantity, price: product.price })),
    subtotal,
    shipping: totals(subtotal).shipping,
    payment: values.payment ?? 'card',
    customer: { name: values.name, phone: values.phone, email: values.email, postcode: values.postcode, address1: values.address1, address2: values.address2 ?? '', memo: values.memo ?? '' },
    purchaseReported: false,
  };
  saveOrder(order);
  clearCart();
  // The confirmation page pushes GA4 `purchase`, once, as shops do on their thank-you page.
  location.assign(shopUrl(`order-complete?order=${encodeURIComponent(order.transaction_id)}`));
}

function render() {
  if (!lines.length) return;
  const user = currentUser();
  const value = (name, fallback = '') => draft[name] ?? fallback;
  const subtotal = cartSubtotal();

  const form = el('form', { class: 'checkout-layout', novalidate: true, onsubmit: placeOrder, oninput: (e) => { const target = e.target; if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) draft = { ...draft, [target.name]: target.type === 'checkbox' ? (target.checked ? 'on' : '') : target.value }; } },
    el('div', { class: 'checkout-main' },
      user ? null : el('p', { class: 'notice' }, t('checkout.guest'), ' ', el('a', { href: shopUrl('login?next=checkout') }, t('checkout.guestLogin'))),
      el('fieldset', { class: 'form-section' },
        el('legend', {}, t('checkout.customer')),
        field(t('checkout.name'), { name: 'name', required: true, autocomplete: 'name', value: value('name', user?.name) }),
        field(t('checkout.phone'), { name: 'phone', type: 'tel', required: true, autocomplete: 'tel', inputmode: 'tel', pattern: '01[016789]-?[0-9]{3,4}-?[0-9]{4}', placeholder: '010-1234-5678', value: value('phone') }),
        field(t('checkout.email'), { name: 'email', type: 'email', required: true, autocomplete: 'email', value: value('email', user?.email) }),
      ),
      el('fieldset', { class: 'form-section' },
        el('legend', {}, t('checkout.address')),
        field(t('checkout.postcode'), { name: 'postcode', required: true, autocomplete: 'postal-code', inputmode: 'numeric', pattern: '[0-9]{5}', placeholder: '04524', value: value('postcode'), class: 'input input-short' }),
        field(t('checkout.address1'), { name: 'address1', required: true, autocomplete: 'address-line1', value: value('address1') }),
        field(t('checkout.address2'), { name: 'address2', autocomplete: 'address-line2', value: value('address2') }),
        el('div', { class: 'field' },
          el('label', { for: 'memo', class: 'field-label' }, t('checkout.memo')),
          el('select', { id: 'memo', name: 'memo', class: 'input' }, MEMOS.map((memo) => el('option', { value: memo, selected: value('memo') === memo }, t(`checkout.${memo}`)))),
        ),
      ),
      el('fieldset', { class: 'form-section' },
        el('legend', {}, t('checkout.payment')),
        el('div', { class: 'payment-options' }, PAYMENTS.map((payment) =>
          el('label', { class: 'payment-option' },
            el('input', { type: 'radio', name: 'payment', value: payment, checked: value('payment', 'card') === payment }),
            el('span', {}, t(`pay.${payment}`)),
          ),
        )),
      ),
    ),
    el('aside', { class: 'checkout-summary', 'aria-labelledby': 'checkout-summary-title' },
      el('h2', { id: 'checkout-summary-title', class: 'summary-title' }, t('checkout.summary')),
      summaryLines(lines.map(({ product, quantity }) => ({ product, quantity, price: product.price }))),
      summaryList(subtotal),
      checkbox(t('checkout.agree'), { name: 'agree', required: true, checked: value('agree') === 'on' }),
      el('button', { type: 'submit', class: 'button button-primary button-large button-block' }, t('checkout.pay', { amount: formatPrice(totals(subtotal).total) })),
      el('p', { class: 'field-hint' }, t('checkout.demoNote')),
    ),
  );
  replaceChildren($('#checkout-content'), el('h1', { class: 'page-title' }, t('checkout.title')), form);
}

startPage({
  title: () => t('checkout.title'),
  render,
  track() {
    if (lines.length) pushEcommerce('begin_checkout', { items: lines.map(({ product, quantity }) => gaItem(product, { quantity })) });
  },
});
