import type { ReviewWebhookBody } from '../contract';
import type { Bindings } from '../env';
import { enqueueStatements } from '../handoff/deliveries';
import { sendDueDeliveries, type SendCounts } from '../handoff/send';
import { getWebhookSettings } from './webhook-settings';
import { forEachDatabase, siteDbById } from '../sites/site-database';

/** Reviews wait in D1 with webhook_state 'pending' (set in the ingest transaction). Once the site
 * has a review webhook they move into the webhook outbox ('queued': edge/handoff/deliveries.ts),
 * which signs, retries, orders and logs them like every hand-off; without one they are marked
 * 'none'. The delivery id is the review_submit event's id, so a changed review is a new delivery,
 * sent after the older version. */

const PER_RUN = 100;

interface PendingReview {
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
}

export function reviewWebhookBody(site: string, row: PendingReview): ReviewWebhookBody {
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

type Env = Pick<Bindings, 'DB' | 'KV' | 'ALLOW_LOCAL_WEBHOOKS'>;

/** Moves the site's pending reviews into the outbox, then sends what is due. */
export async function deliverReviewWebhooks(env: Env, site: string, now = Date.now()): Promise<SendCounts> {
  const db = await siteDbById(env, site);
  const settings = await getWebhookSettings(env.KV, site);
  if (!settings?.reviews_url) {
    await db.prepare(`UPDATE reviews SET webhook_state = 'none' WHERE site = ?1 AND webhook_state = 'pending'`).bind(site).run();
  } else {
    const { results } = await db.prepare(
      `SELECT visitor_id, item_id, item_name, rating, text, transaction_id, verified, decision_id, user_id, created_at, updated_at, event_id
       FROM reviews WHERE site = ?1 AND webhook_state = 'pending' ORDER BY updated_at LIMIT ${PER_RUN}`,
    )
      .bind(site)
      .all<PendingReview>();
    if (results.length) {
      const deliveries = results.map((r) => ({ id: r.event_id, topic: 'review', shopper: r.visitor_id, body: JSON.stringify(reviewWebhookBody(site, r)), advertising: false, notBefore: now }));
      // Queued only if it is still the version read: a newer submission stays pending for the next run.
      const mark = results.map((r) =>
        db.prepare(`UPDATE reviews SET webhook_state = 'queued' WHERE site = ?1 AND visitor_id = ?2 AND item_id = ?3 AND event_id = ?4 AND webhook_state = 'pending'`).bind(
          site,
          r.visitor_id,
          r.item_id,
          r.event_id,
        ),
      );
      await db.batch([...enqueueStatements(db, site, deliveries, now), ...mark]);
    }
  }
  return sendDueDeliveries(env, site, now);
}

/** The cron's pass over every site with reviews waiting to be queued, database by database. */
export async function queueAllReviewWebhooks(env: Env, now = Date.now()): Promise<void> {
  await forEachDatabase(env, async (db) => {
    const { results } = await db.prepare(`SELECT DISTINCT site FROM reviews INDEXED BY reviews_webhook_pending WHERE webhook_state = 'pending' LIMIT 50`).all<{ site: string }>();
    for (const { site } of results) await deliverReviewWebhooks(env, site, now);
  });
}
