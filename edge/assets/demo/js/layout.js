// What every page shares: header (account links, language switch, search, cart), category
// navigation and footer, and the page lifecycle: render now and on each language switch, track once.
import { currentUser, logOut } from './account.js';
import { gaItem, pushEcommerce } from './analytics.js';
import { addToCart, cartCount } from './cart.js';
import { CATEGORIES, findProduct } from './catalog.js';
import { $, el, replaceChildren } from './dom.js';
import { getLang, localized, setLang, t } from './i18n.js';
import { cartIcon, searchIcon, userIcon } from './icons.js';
import { syncMemberFacts } from './membership.js';
import { categoryUrl, shopUrl } from './urls.js';

/**
 * Starts a page. `render` draws the page's own content (again on a language switch); `track`
 * sends the page's analytics once. Inline Touchpoint placements (`data-touchpoint`) sit in the
 * HTML outside what `render` redraws, so a re-render never removes what a widget put there.
 * @param {{ title: () => string, render: () => void, track?: () => void, category?: string }} page
 */
export function startPage(page) {
  document.documentElement.lang = getLang();
  const draw = () => {
    renderHeader(page.category);
    renderFooter();
    page.render();
    document.title = `${page.title()} | ${t('brand')}`;
  };
  draw();
  page.track?.();
  syncMemberFacts();
  document.addEventListener('shop:lang', draw);
  document.addEventListener('shop:cart', updateCartLink);
  // Touchpoint's replenishment card asks the shop to add a product: the shop's own cart takes it
  // (and pushes add_to_cart as its own button does), so the card does not leave the page.
  window.addEventListener('touchpoint:add-to-cart', (event) => {
    const product = findProduct(event.detail?.item_id ?? null);
    if (!product) return;
    event.preventDefault();
    const count = addToCart(product.id, 1);
    if (count > 0) pushEcommerce('add_to_cart', { items: [gaItem(product, { quantity: count })] });
  });
  // Another tab changed the cart or signed in/out.
  window.addEventListener('storage', (event) => event.key?.startsWith('haru.') && draw());
}

function renderHeader(activeCategory) {
  const user = currentUser();
  const account = user
    ? [
        el('span', { class: 'topbar-greeting' }, t('account.greeting', { name: user.name })),
        el('a', { href: shopUrl('account') }, t('account.mypage')),
        el('button', { type: 'button', class: 'link-button', onclick: signOut }, t('account.logout')),
      ]
    : [el('a', { href: shopUrl('login') }, t('account.login')), el('a', { href: shopUrl('signup') }, t('account.signup'))];

  const langSwitch = el('div', { class: 'lang-switch', role: 'group', 'aria-label': t('lang.label') },
    langButton('ko', '한국어'),
    langButton('en', 'English'),
  );

  const query = new URLSearchParams(location.search).get('q') ?? '';
  const search = el('form', { class: 'search', role: 'search', action: shopUrl('search'), method: 'get' },
    el('label', { for: 'site-search', class: 'visually-hidden' }, t('search.label')),
    el('input', { id: 'site-search', name: 'q', type: 'search', value: document.querySelector('meta[name="touchpoint:page-type"][content="search"]') ? query : '', placeholder: t('search.placeholder'), autocomplete: 'off', enterkeyhint: 'search' }),
    el('button', { type: 'submit', class: 'search-button', 'aria-label': t('search.button') }, searchIcon()),
  );

  const nav = el('nav', { class: 'category-nav', 'aria-label': t('nav.label') },
    el('ul', { class: 'container' },
      navLink(categoryUrl(), t('nav.all'), activeCategory === 'all'),
      CATEGORIES.map((c) => navLink(categoryUrl(c.id), localized(c.name), activeCategory === c.id)),
    ),
  );

  replaceChildren($('#site-header'),
    el('div', { class: 'topbar' },
      el('div', { class: 'container topbar-inner' },
        el('p', { class: 'promo' }, t('promo')),
        el('div', { class: 'topbar-links' }, el('span', { class: 'topbar-account' }, userIcon(), account), langSwitch),
      ),
    ),
    el('div', { class: 'container header-main' },
      el('a', { class: 'logo', href: shopUrl() }, el('span', { class: 'logo-mark', 'aria-hidden': 'true' }), t('brand')),
      search,
      el('a', { class: 'cart-link', href: shopUrl('cart') }, cartIcon(), el('span', { class: 'cart-label' }, t('cart.link')), el('span', { class: 'cart-count' })),
    ),
    nav,
  );
  updateCartLink();
}

/** @param {'ko' | 'en'} lang @param {string} label */
function langButton(lang, label) {
  const current = getLang() === lang;
  return el('button', { type: 'button', lang, 'aria-pressed': String(current), onclick: () => current || setLang(lang) }, label);
}

function navLink(href, label, current) {
  return el('li', {}, el('a', { href, 'aria-current': current ? 'page' : null }, label));
}

function updateCartLink() {
  const link = document.querySelector('.cart-link');
  const badge = document.querySelector('.cart-count');
  if (!link || !badge) return;
  const count = cartCount();
  badge.textContent = String(count);
  badge.hidden = count === 0;
  link.setAttribute('aria-label', t('cart.linkAria', { n: count }));
}

/** Logs the member out of the shop and tells Touchpoint (header button and My page). */
export function signOut() {
  logOut();
  // Forget the member on this device: later events are anonymous again, under a new anonymous id.
  window.touchpoint('reset');
  location.assign(shopUrl());
}

function renderFooter() {
  replaceChildren($('#site-footer'),
    el('div', { class: 'container footer-inner' },
      el('p', { class: 'footer-brand' }, t('brand')),
      el('p', {}, t('footer.company')),
      el('p', {}, t('footer.care')),
      el('p', { class: 'footer-demo' }, t('footer.demo')),
    ),
  );
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t('skip');
}

/** A breadcrumb trail: [label, href?][]; the last crumb is the current page. */
export function breadcrumb(...crumbs) {
  return el('nav', { class: 'breadcrumb', 'aria-label': 'breadcrumb' },
    el('ol', {}, crumbs.map(([label, href], i) =>
      el('li', {}, href && i < crumbs.length - 1 ? el('a', { href }, label) : el('span', { 'aria-current': 'page' }, label)),
    )),
  );
}
