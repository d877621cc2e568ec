/** A uniform number in [0, 1) from a string: FNV-1a, then murmur3's finaliser to spread similar
 * keys (visitor ids differing in one character) over the whole range. Deterministic, so a
 * shopper stays in the same holdout group and variant on every request and every isolate. */
export function unitHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}
