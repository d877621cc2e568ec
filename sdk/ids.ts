/** A fresh id for events, anonymous visitors and sessions. crypto.randomUUID needs a secure
 * context; plain-http shops get 32 hex characters from getRandomValues instead. */
export function newId(): string {
  const c = globalThis.crypto;
  if (c.randomUUID) return c.randomUUID();
  return Array.from(c.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join('');
}

/** The contract's ClientId shape; ids read back from storage are checked against it. */
export const isClientId = (value: unknown): value is string => typeof value == 'string' && /^[\w-]{8,64}$/.test(value);
