import { currentUser } from '../account.js';
import { findProduct } from '../catalog.js';
import { $, el, replaceChildren } from '../dom.js';
import { formatPrice } from '../format.js';
import { getLang, localized, t } from '../i18n.js';
import { signOut, startPage } from '../layout.js';
import { membershipOf, sendToTouchpoint } from '../membership.js';
import { allOrders } from '../orders.js';
import { shopUrl } from '../urls.js';

const user = currentUser();
if (!user) location.replace(shopUrl('login?next=account'));

function render() {
  if (!user) return;
  const orders = allOrders().filter((order) => order.userId === user.id);
  const m = membershipOf(user, orders);
  const date = (ms) => new Date(ms).toLocaleDateString(getLang() === 'ko' ? 'ko-KR' : 'en-GB');
  void sendToTouchpoint(user, m, getLang());
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
    el('section', { class: 'section membership', 'aria-labelledby': 'account-membership' },
      el('h2', { id: 'account-membership', class: 'section-title' }, t('mypage.membership')),
      el('dl', { class: 'account-facts' },
        el('div', {}, el('dt', {}, t('mypage.tier')), el('dd', { class: 'member-tier' }, m.tier)),
        el('div', {}, el('dt', {}, t('mypage.nextTier')),
          el('dd', { class: 'member-next-tier' }, m.nextTier ? t('mypage.toNext', { tier: m.nextTier, amount: formatPrice(m.amountToNext) }) : '–')),
        el('div', {}, el('dt', {}, t('mypage.points')), el('dd', { class: 'member-points' }, m.points.toLocaleString())),
        el('div', {}, el('dt', {}, t('mypage.expiring')),
          el('dd', { class: 'member-expiring' }, m.expiring.length ? m.expiring.map((e) => t('mypage.expiringLine', { amount: e.amount.toLocaleString(), date: date(e.expires_at) })).join(', ') : '–')),
      ),
      el('h3', {}, t('mypage.coupons')),
      el('ul', { class: 'coupon-list' }, m.coupons.map((c) =>
        el('li', { class: 'coupon-row', 'data-code': c.code },
          el('strong', {}, c.code), ' ', localized(c.benefit), ' · ',
          c.redeemedAt !== null ? t('mypage.couponUsed') : t('mypage.couponUntil', { date: date(c.expiresAt) }),
        ))),
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
