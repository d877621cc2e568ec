/** Checks any parsed JSON for shapes zod cannot express cheaply: depth, and keys that would
 * reach an object's prototype when copied. Returns a reason, or null when the value is safe. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function unsafeJsonReason(value: unknown, maxDepth: number, path = ''): string | null {
  if (value === null || typeof value !== 'object') return null;
  if (maxDepth <= 0) return `${path || 'value'}: nested too deeply`;
  for (const key of Object.keys(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) return `${childPath}: this key name is not allowed`;
    const reason = unsafeJsonReason((value as Record<string, unknown>)[key], maxDepth - 1, childPath);
    if (reason) return reason;
  }
  return null;
}
