// JSON in localStorage, tolerant of a full or disabled storage (private windows).

/** @template T @param {string} key @param {T} fallback @returns {T} */
export function readJson(key, fallback) {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

/** @param {string} key @param {unknown} value */
export function writeJson(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // the shop keeps working for this page; the change is simply not remembered
  }
}

/** @param {string} key */
export function removeKey(key) {
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing stored, nothing to remove
  }
}
