// Fake but stateful accounts. The signed-in member lives in localStorage (`haru.user`); the member
// id is derived from the email, so the same person gets the same `member-<n>` on any device —
// what a real shop's user id does, and what Touchpoint's identify() needs to join devices.
import { readJson, removeKey, writeJson } from './storage.js';

const USER_KEY = 'haru.user';
const ACCOUNTS_KEY = 'haru.accounts';

/** @typedef {{ id: string, email: string, name: string, marketing: boolean }} Member */

const normalEmail = (email) => email.trim().toLowerCase();

/** `member-<6 digits>` from the email (FNV-1a), stable across devices. @param {string} email */
export function memberIdFor(email) {
  let hash = 0x811c9dc5;
  for (const char of normalEmail(email)) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `member-${100000 + (hash % 900000)}`;
}

/** @returns {Member | null} */
export function currentUser() {
  const user = readJson(USER_KEY, null);
  return user && typeof user.id === 'string' && typeof user.email === 'string' ? user : null;
}

/** @returns {Record<string, { name: string, marketing: boolean }>} */
const accounts = () => readJson(ACCOUNTS_KEY, {});

/**
 * Creates the account on this device and signs in. Null when this device already knows the email.
 * @param {{ email: string, name: string, marketing: boolean }} details
 * @returns {Member | null}
 */
export function signUp({ email, name, marketing }) {
  const known = accounts();
  const key = normalEmail(email);
  if (known[key]) return null;
  known[key] = { name: name.trim(), marketing };
  writeJson(ACCOUNTS_KEY, known);
  return signIn(key, known[key]);
}

/** Signs in: any password is accepted (demo). @param {{ email: string }} details @returns {Member} */
export function logIn({ email }) {
  const key = normalEmail(email);
  return signIn(key, accounts()[key] ?? { name: key.split('@')[0] ?? key, marketing: false });
}

/** @returns {Member} */
function signIn(email, { name, marketing }) {
  const user = { id: memberIdFor(email), email, name, marketing };
  writeJson(USER_KEY, user);
  return user;
}

export function logOut() {
  removeKey(USER_KEY);
}
