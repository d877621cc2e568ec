import { currentUser } from '../account.js';
import { findProduct } from '../catalog.js';
import { $, el, replaceChildren } from '../dom.js';
import { formatPrice } from '../format.js';
import { getLang, localized, t } from '../i18n.js';
import { signOut, startPage } from '../layout.js';
import { allOrders } from '../orders.js';
import { shopUrl } from '../urls.js';

const user = currentUser();
if (!user) location.replace(shopUrl('login?next=account'));

function render() {
  if (!user) return;
  const orders = allOrders().filter((order) => order.userId === user.id);
  replaceChildren($('#account-content'),
    el('h1', { class: 'page-title' }, t('mypage.title')),
    el('section', { class: 'account-card' },
      el('p', { class: 'account-name' }, t('account.greeting', { name: user.name })),
      el('dl', { class: 'account-facts' },
        el('div', {}, el('dt', {}, t('mypage.memberId')), el('dd', { class: 'member-id' }, user.id)),
        el('div', {}, el('dt', {}, t('mypage.email')), el('dd', {}, user.email)),
      ),
      el('button', { type: 'button', class: 'button', onclick: signOut }, t('account.logout')),
    ),
    el('section', { class: 'section', 'aria-labelledby': 'account-orders' },
      el('h2', { id: 'account-orders', class: 'section-title' }, t('mypage.orders')),
      orders.length
        ? el('ul', { class: 'order-list' }, orders.map((order) => {
            const first = findProduct(order.lines[0]?.id ?? null);
            const firstName = first ? localized(first.name) : '';
            const more = order.lines.length - 1;
            return el('li', { class: 'order-row' },
              el('a', { href: shopUrl(`order-complete?order=${encodeURIComponent(order.transaction_id)}`) }, order.transaction_id),
              el('span', {}, new Date(order.createdAt).toLocaleDateString(getLang() === 'ko' ? 'ko-KR' : 'en-GB')),
              el('span', { class: 'order-row-items' }, more > 0 ? t('mypage.orderLine', { name: firstName, n: more }) : firstName),
              el('strong', {}, formatPrice(order.subtotal + order.shipping)),
            );
          }))
        : el('p', { class: 'empty-note' }, t('mypage.noOrders')),
    ),
  );
}

startPage({ title: () => t('mypage.title'), render });
