import type { ReviewWebhookBody } from '../contract';
import { getWebhookSettings } from './webhook-settings';
import { sendSignedWebhook } from './webhook-sender';

/** Reviews wait in D1 with webhook_state 'pending' (set in the ingest transaction), so a review is
 * never lost between storing it and telling the shop: delivery runs right after the batch is
 * applied (collect's waitUntil) and again from the cron until it succeeds or gives up. A claim
 * (webhook_claim, plus a lease in webhook_next_at) keeps two runners from sending one review twice
 * at the same time; delivery is at least once, and receivers dedupe on the Touchpoint-Delivery id. */

const LEASE_MS = 60_000;
const PER_RUN = 20;
/** Waits before each retry; after the last the review is marked 'failed'. */
const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000];

interface ClaimedReview {
  visitor_id: string;
  item_id: string;
  item_name: string | null;
  rating: number;
  text: string | null;
  transaction_id: string | null;
  verified: number;
  decision_id: string | null;
  user_id: string | null;
  created_at: number;
  updated_at: number;
  event_id: string;
  webhook_attempts: number;
}

const CLAIM = `
UPDATE reviews SET webhook_claim = ?1, webhook_next_at = ?2 + ${LEASE_MS}
WHERE site = ?3 AND webhook_state = 'pending' AND webhook_next_at <= ?2
  AND (visitor_id, item_id) IN (
    SELECT visitor_id, item_id FROM reviews
    WHERE site = ?3 AND webhook_state = 'pending' AND webhook_next_at <= ?2 LIMIT ${PER_RUN})
RETURNING visitor_id, item_id, item_name, rating, text, transaction_id, verified, decision_id, user_id, created_at, updated_at, event_id, webhook_attempts`;

/** Changes a claimed review only if no newer submission replaced it meanwhile (that resets the claim). */
const SETTLE = `
UPDATE reviews SET webhook_state = ?1, webhook_attempts = ?2, webhook_next_at = ?3, webhook_error = ?4, webhook_claim = NULL
WHERE site = ?5 AND visitor_id = ?6 AND item_id = ?7 AND webhook_claim = ?8`;

export function reviewWebhookBody(site: string, row: ClaimedReview): ReviewWebhookBody {
  return {
    type: 'review',
    id: row.event_id,
    site,
    review: {
      item_id: row.item_id,
      item_name: row.item_name,
      rating: row.rating,
      text: row.text,
      transaction_id: row.transaction_id,
      verified_purchase: row.verified === 1,
      visitor_id: row.visitor_id,
      user_id: row.user_id,
      decision_id: row.decision_id,
      created_at: new Date(row.created_at).toISOString(),
      updated_at: new Date(row.updated_at).toISOString(),
    },
  };
}

export interface DeliveryCounts {
  sent: number;
  failed: number;
}

/** Sends the site's pending reviews to its webhook; without one configured they are marked 'none'. */
export async function deliverReviewWebhooks(env: { DB: D1Database; KV: KVNamespace }, site: string, now = Date.now()): Promise<DeliveryCounts> {
  const settings = await getWebhookSettings(env.KV, site);
  if (!settings?.reviews_url) {
    await env.DB.prepare(`UPDATE reviews SET webhook_state = 'none' WHERE site = ?1 AND webhook_state = 'pending'`).bind(site).run();
    return { sent: 0, failed: 0 };
  }
  const claim = crypto.randomUUID();
  const { results } = await env.DB.prepare(CLAIM).bind(claim, now, site).all<ClaimedReview>();
  const counts = { sent: 0, failed: 0 };
  for (const row of results) {
    const body = JSON.stringify(reviewWebhookBody(site, row));
    const result = await sendSignedWebhook(settings.reviews_url, settings.secret, row.event_id, body, now);
    const attempts = row.webhook_attempts + 1;
    const backoff = BACKOFF_MS[attempts - 1];
    const [state, nextAt] = result.ok ? ['sent', now] : backoff === undefined ? ['failed', now] : ['pending', now + backoff];
    await env.DB.prepare(SETTLE)
      .bind(state, attempts, nextAt, result.ok ? null : (result.error ?? 'failed'), site, row.visitor_id, row.item_id, claim)
      .run();
    counts[result.ok ? 'sent' : 'failed']++;
  }
  return counts;
}

/** The cron's pass over every site with reviews waiting. */
export async function deliverAllReviewWebhooks(env: { DB: D1Database; KV: KVNamespace }, now = Date.now()): Promise<void> {
  const { results } = await env.DB.prepare(`SELECT DISTINCT site FROM reviews WHERE webhook_state = 'pending' AND webhook_next_at <= ?1 LIMIT 50`)
    .bind(now)
    .all<{ site: string }>();
  for (const { site } of results) await deliverReviewWebhooks(env, site, now);
}
