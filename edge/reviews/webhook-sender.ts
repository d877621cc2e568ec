import { hmacSha256Hex } from '../lib/crypto';

export const SIGNATURE_HEADER = 'Touchpoint-Signature';
export const DELIVERY_HEADER = 'Touchpoint-Delivery';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The timestamp is signed with the body
 * so a receiver can refuse replays older than a few minutes. */
export async function signatureFor(secret: string, body: string, unixSeconds: number): Promise<string> {
  return `t=${unixSeconds},v1=${await hmacSha256Hex(secret, `${unixSeconds}.${body}`)}`;
}

export interface WebhookResult {
  ok: boolean;
  status: number | null;
  error?: string;
}

/** POSTs one signed JSON body. Redirects are not followed (a receiver answers where it was asked). */
export async function sendSignedWebhook(
  url: string,
  secret: string,
  deliveryId: string,
  body: string,
  now = Date.now(),
  timeoutMs = 10_000,
): Promise<WebhookResult> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Touchpoint-Webhook/1',
        [DELIVERY_HEADER]: deliveryId,
        [SIGNATURE_HEADER]: await signatureFor(secret, body, Math.floor(now / 1000)),
      },
      body,
    });
    await response.body?.cancel();
    return response.ok ? { ok: true, status: response.status } : { ok: false, status: response.status, error: `HTTP ${response.status}` };
  } catch (err) {
    return { ok: false, status: null, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}
