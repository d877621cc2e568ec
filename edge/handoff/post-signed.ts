/** One signed POST to a shop's webhook, and what came of it. */
import { standardWebhookHeaders } from './standard-webhooks';

const TIMEOUT_MS = 10_000;

export interface Outcome {
  ok: boolean;
  status: number | null;
  error?: string;
  /** Not sent and not tried: wait until then without counting an attempt (quiet hours). */
  holdUntil?: number;
}

/** POSTs one body, signed. Redirects are not followed: a receiver answers where it was asked. */
export async function postSigned(url: string, secret: string, id: string, body: string, now: number, timeoutMs = TIMEOUT_MS): Promise<Outcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Touchpoint-Webhook/2',
        ...(await standardWebhookHeaders(secret, id, body, Math.floor(now / 1000))),
      },
      body,
    });
    await response.body?.cancel();
    return response.ok ? { ok: true, status: response.status } : { ok: false, status: response.status, error: `HTTP ${response.status}` };
  } catch (err) {
    return { ok: false, status: null, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}
