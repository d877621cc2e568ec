import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { LIMITS } from '../contract';
import type { AppEnv } from '../env';
import { acceptEvents } from '../ingest/accept-events';
import { processBatch } from '../ingest/process-batch';
import { readBatch } from '../ingest/read-batch';
import { deliverReviewWebhooks } from '../reviews/webhook-delivery';
import { ApiError, errorBody } from '../lib/api-error';
import { TokenBuckets } from '../lib/token-bucket';
import { siteForRequest } from '../sites/site-for-request';
import { D1EventWriter } from '../store/d1-event-writer';

const rateLimits = new TokenBuckets();

export const collect = new Hono<AppEnv>().post(
  '/v1/collect',
  bodyLimit({
    maxSize: LIMITS.bodyBytes,
    onError: (c) => c.json(errorBody('body_too_large', `The body is over ${LIMITS.bodyBytes} bytes. Send smaller batches.`), 413),
  }),
  async (c) => {
    const receivedAt = Date.now();
    const batch = readBatch(await c.req.text());
    const site = await siteForRequest(c, batch.site);

    const limit = rateLimits.take(site.id, batch.events.length, { perSecond: site.rate.events_per_second, burst: site.rate.burst });
    if (!limit.ok) {
      throw new ApiError(429, 'rate_limited', `Site "${site.id}" is over its event rate. Retry after ${limit.retryAfterSeconds} s.`, {
        'Retry-After': String(limit.retryAfterSeconds),
      });
    }

    const { accepted, rejected } = acceptEvents(batch, receivedAt);
    let stored = { batchId: null as string | null, inserted: 0, duplicates: 0 };
    if (accepted.length > 0) stored = await new D1EventWriter(c.env.DB).append(site.id, accepted, receivedAt);
    if (stored.batchId) {
      const hasReviews = accepted.some((e) => e.name === 'review_submit');
      const applied = processBatch(c.env.DB, stored.batchId, site.id).catch((err) => console.error('batch processing deferred to the sweep', err));
      c.executionCtx.waitUntil(hasReviews ? applied.then(() => deliverReviewWebhooks(c.env, site.id)).catch((err) => console.error('review webhooks deferred to the cron', err)) : applied);
    }

    return c.json({ accepted: stored.inserted, duplicates: stored.duplicates, rejected }, 202);
  },
);
