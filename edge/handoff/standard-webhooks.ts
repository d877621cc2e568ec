/** Outgoing webhooks signed the Standard Webhooks way (standardwebhooks.com), so a shop verifies
 * them with that project's libraries in any language: `webhook-id`, `webhook-timestamp` (unix
 * seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed
 * with the bytes of a `whsec_<base64>` secret. */

const encoder = new TextEncoder();
const SECRET_PREFIX = 'whsec_';

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));

/** A new signing secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

/** Is this a secret the signer can use (`whsec_` + base64 of at least 24 bytes)? */
export function isWebhookSecret(secret: string): boolean {
  if (!secret.startsWith(SECRET_PREFIX)) return false;
  try {
    return atob(secret.slice(SECRET_PREFIX.length)).length >= 24;
  } catch {
    return false;
  }
}

function secretBytes(secret: string): Uint8Array<ArrayBuffer> {
  const raw = atob(secret.slice(SECRET_PREFIX.length));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/** The headers that sign one delivery. */
export async function standardWebhookHeaders(secret: string, id: string, body: string, unixSeconds: number): Promise<Record<string, string>> {
  const key = await crypto.subtle.importKey('raw', secretBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`${id}.${unixSeconds}.${body}`)));
  return { 'webhook-id': id, 'webhook-timestamp': String(unixSeconds), 'webhook-signature': `v1,${toBase64(mac)}` };
}
