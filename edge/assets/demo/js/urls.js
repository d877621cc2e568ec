// Absolute URLs of the shop's pages and images, from the shop's root (…/demo/) wherever it is
// served. Absolute http(s) URLs are also what Touchpoint requires in items' `url` and `image_url`.
const SHOP_ROOT = new URL('../', import.meta.url);

/** @param {string} [path] relative to the shop root: '', 'cart', 'category?c=kitchen' */
export const shopUrl = (path = '') => new URL(path, SHOP_ROOT).href;
export const productUrl = (id) => shopUrl(`product?id=${encodeURIComponent(id)}`);
export const imageUrl = (id) => shopUrl(`img/${encodeURIComponent(id)}.svg`);
export const categoryUrl = (id) => shopUrl(id ? `category?c=${encodeURIComponent(id)}` : 'category');

/** Where to go after logging in or signing up: `?next=` when it names a page of this shop, else home. */
export function nextUrl() {
  const next = new URLSearchParams(location.search).get('next') ?? '';
  return /^[a-z-]+(\?[\w=&%.-]*)?$/.test(next) ? shopUrl(next) : shopUrl();
}
