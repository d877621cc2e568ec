// The shop's own cart (localStorage `haru.cart`). Touchpoint keeps its own view of the cart from
// the add_to_cart / remove_from_cart events; the shop never reads or writes Touchpoint's.
import { findProduct } from './catalog.js';
import { readJson, removeKey, writeJson } from './storage.js';

const KEY = 'haru.cart';
const MAX_QUANTITY = 99;

/** @typedef {{ id: string, quantity: number }} StoredLine */
/** @typedef {{ product: import('./catalog.js').Product, quantity: number }} CartLine */

/** @returns {StoredLine[]} */
function stored() {
  const lines = readJson(KEY, []);
  return Array.isArray(lines) ? lines.filter((l) => l && typeof l.id === 'string' && Number.isInteger(l.quantity) && l.quantity > 0) : [];
}

/** @param {StoredLine[]} lines */
function save(lines) {
  writeJson(KEY, lines);
  document.dispatchEvent(new CustomEvent('shop:cart'));
}

/** The cart's lines, with their products (lines of products no longer sold are left out). @returns {CartLine[]} */
export function cartLines() {
  return stored().flatMap(({ id, quantity }) => {
    const product = findProduct(id);
    return product ? [{ product, quantity }] : [];
  });
}

export const cartCount = () => cartLines().reduce((sum, line) => sum + line.quantity, 0);
export const cartSubtotal = () => cartLines().reduce((sum, line) => sum + line.product.price * line.quantity, 0);

/** Sets a product's quantity (0 removes it); returns the quantity actually kept. */
export function setQuantity(id, quantity) {
  const kept = Math.max(0, Math.min(MAX_QUANTITY, Math.floor(quantity)));
  const lines = stored().filter((l) => l.id !== id);
  const at = stored().findIndex((l) => l.id === id);
  if (kept > 0) lines.splice(at === -1 ? lines.length : at, 0, { id, quantity: kept });
  save(lines);
  return kept;
}

export const quantityOf = (id) => stored().find((l) => l.id === id)?.quantity ?? 0;

/** Adds `quantity` of a product; returns how many were really added (the cap is 99 a line). */
export function addToCart(id, quantity) {
  const before = quantityOf(id);
  return setQuantity(id, before + quantity) - before;
}

export function clearCart() {
  removeKey(KEY);
  document.dispatchEvent(new CustomEvent('shop:cart'));
}
