// Prices in KRW, as Korean shops write them: 12,000원 in Korean, ₩12,000 in English.
import { getLang } from './i18n.js';

/** @param {number} amount whole won */
export function formatPrice(amount) {
  return getLang() === 'ko' ? `${amount.toLocaleString('ko-KR')}원` : `₩${amount.toLocaleString('en-US')}`;
}

/** Percentage off the list price, rounded down as shops show it ("17%"). */
export function discountPercent(price, listPrice) {
  return Math.floor(((listPrice - price) / listPrice) * 100);
}

/** Free delivery from this order value; otherwise a flat fee. */
export const FREE_SHIPPING_FROM = 30000;
export const SHIPPING_FEE = 3000;

/** @param {number} subtotal */
export const shippingFor = (subtotal) => (subtotal === 0 || subtotal >= FREE_SHIPPING_FROM ? 0 : SHIPPING_FEE);
