/** Where Touchpoint may send a shop's data: https only, never to a private or local address (a
 * webhook URL must not become a way into a network the worker can reach). Plain http to
 * localhost is allowed only where the worker runs for development (`ALLOW_LOCAL_WEBHOOKS`). */

const PRIVATE_V4 = [
  [10, 0, 0, 0, 8],
  [127, 0, 0, 0, 8],
  [169, 254, 0, 0, 16],
  [172, 16, 0, 0, 12],
  [192, 168, 0, 0, 16],
  [100, 64, 0, 0, 10],
  [0, 0, 0, 0, 8],
] as const;

function isPrivateV4(host: string): boolean {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return false;
  const value = parts.reduce((n, p) => n * 256 + Number(p), 0);
  return PRIVATE_V4.some(([a, b, c, d, bits]) => {
    const base = ((a * 256 + b) * 256 + c) * 256 + d;
    const size = 2 ** (32 - bits);
    return value >= base && value < base + size;
  });
}

function isPrivateV6(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (!h.includes(':')) return false;
  return h === '::1' || h === '::' || /^f[cd]/.test(h) || /^fe[89ab]/.test(h) || h.startsWith('::ffff:');
}

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;
const isLoopbackName = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

export type DestinationCheck = { ok: true; url: string } | { ok: false; reason: string };

export function checkWebhookUrl(value: string, allowLocal: boolean): DestinationCheck {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'must be an absolute URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'must not carry a user name or password' };
  const host = url.hostname;
  if (allowLocal && isLoopbackName(host) && (url.protocol === 'http:' || url.protocol === 'https:')) return { ok: true, url: url.href };
  if (url.protocol !== 'https:') return { ok: false, reason: 'must use https' };
  if (isPrivateV4(host) || isPrivateV6(host) || LOCAL_NAMES.test(host) || !host.includes('.')) {
    return { ok: false, reason: 'must point at a public address, not a private or local one' };
  }
  return { ok: true, url: url.href };
}
