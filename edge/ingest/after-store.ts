import type { AcceptedEvent } from '../contract';
import type { Bindings } from '../env';
import { JOURNEY_WEBHOOK_EVENTS, deliverJourneyWebhooks } from '../handoff/journey-webhooks';
import { deliverReviewWebhooks } from '../reviews/webhook-delivery';
import { eventWriterFor } from '../store/d1-event-writer';
import type { KeepAlive } from '../store/event-writer';

type Env = Pick<Bindings, 'DB' | 'KV' | 'ALLOW_LOCAL_WEBHOOKS'>;

/** Once the writer has applied what it just stored, sends the shop's webhooks those events called
 * for (reviews; negative survey answers and referral rewards). Collect and the queue consumer both
 * end here; the cron retries whatever does not go out now. */
/** `db` is the site's database, whose writer stored them. */
export function sendWebhooksOnceApplied(env: Env, db: D1Database, keepAlive: KeepAlive, site: string, stored: readonly AcceptedEvent[]): void {
  if (stored.some((e) => e.name === 'review_submit')) {
    keepAlive.waitUntil(
      eventWriterFor(db)
        .settled()
        .then(() => deliverReviewWebhooks(env, site))
        .catch((err) => console.error('review webhooks deferred to the cron', err)),
    );
  }
  if (stored.some((e) => JOURNEY_WEBHOOK_EVENTS.has(e.name))) {
    keepAlive.waitUntil(
      eventWriterFor(db)
        .settled()
        .then(() => deliverJourneyWebhooks(env, site))
        .catch((err) => console.error('survey and referral webhooks deferred to the cron', err)),
    );
  }
}
