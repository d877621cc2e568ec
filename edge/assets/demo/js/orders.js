// Orders placed in this browser (localStorage `haru.orders`), newest first.
import { readJson, writeJson } from './storage.js';

const KEY = 'haru.orders';

/**
 * @typedef {object} Order
 * @property {string} transaction_id
 * @property {number} createdAt
 * @property {string | null} userId
 * @property {{ id: string, quantity: number, price: number }[]} lines
 * @property {number} subtotal
 * @property {number} shipping
 * @property {string} payment
 * @property {{ name: string, phone: string, email: string, postcode: string, address1: string, address2: string, memo: string }} customer
 * @property {boolean} purchaseReported  whether the purchase event was pushed (once per order)
 */

/** @returns {Order[]} */
export const allOrders = () => {
  const orders = readJson(KEY, []);
  return Array.isArray(orders) ? orders : [];
};

export const findOrder = (transactionId) => allOrders().find((o) => o.transaction_id === transactionId) ?? null;

/** @param {Order} order */
export function saveOrder(order) {
  writeJson(KEY, [order, ...allOrders().filter((o) => o.transaction_id !== order.transaction_id)]);
}

/** `HR20261122-123456`: the day and six random digits. */
export function newTransactionId(now = new Date()) {
  const day = `${now.getFullYear()}${String(now.getMonth() + 1).padStart(2, '0')}${String(now.getDate()).padStart(2, '0')}`;
  const random = crypto.getRandomValues(new Uint32Array(1))[0] % 1000000;
  return `HR${day}-${String(random).padStart(6, '0')}`;
}
