// A single-page storefront using the npm module, as a Vite or Next.js shop would: init() once at
// start-up, page views from the router's history.pushState (no code: autoPageViews), and the
// shop's own consent banner wired to consent(). Built and driven in Chromium by
// test/browser/npm-module.test.ts; docs/npm-module.md walks through it.
import { consent, init, track } from 'touchpoint';

// Set by the bundler: Vite `import.meta.env.VITE_TOUCHPOINT_ENDPOINT`, Next.js
// `process.env.NEXT_PUBLIC_TOUCHPOINT_ENDPOINT`; the test's esbuild `define`s them.
declare const TOUCHPOINT_SITE: string;
declare const TOUCHPOINT_ENDPOINT: string;

// Opt-in: nothing but the consent record leaves the browser before the shopper chooses.
init({ site: TOUCHPOINT_SITE, endpoint: TOUCHPOINT_ENDPOINT, consentMode: 'opt-in' });

const main = document.querySelector<HTMLElement>('main')!;
const base = location.pathname.replace(/[^/]*$/, '');

/** The router: every view from the URL. */
function render(): void {
  const view = location.pathname.slice(base.length) || 'home';
  document.title = `Shop: ${view}`;
  main.replaceChildren(Object.assign(document.createElement('h1'), { textContent: view }));
  if (view.startsWith('product/')) {
    const add = Object.assign(document.createElement('button'), { textContent: 'Add to cart' });
    add.addEventListener('click', () =>
      track('add_to_cart', { currency: 'KRW', value: 12000, items: [{ item_id: view.slice(8), item_name: 'Mug', price: 12000, quantity: 1 }] }),
    );
    main.append(add);
  }
}

// Links navigate in the app; the SDK sees the pushState and records a page view.
for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-route]')) link.href = base + link.dataset.route;
document.addEventListener('click', (event) => {
  const link = (event.target as Element).closest<HTMLAnchorElement>('a[data-route]');
  if (!link) return;
  event.preventDefault();
  history.pushState(null, '', link.href);
  render();
});
addEventListener('popstate', render);
render();

// The consent banner: shown until the shopper chooses (the choice is kept across visits).
const banner = document.querySelector<HTMLElement>('#consent')!;
banner.hidden = consent().decided;
const choose = (granted: boolean) => () => {
  consent({ analytics: granted, marketing: granted });
  banner.hidden = true;
};
banner.querySelector('[data-accept]')!.addEventListener('click', choose(true));
banner.querySelector('[data-decline]')!.addEventListener('click', choose(false));
