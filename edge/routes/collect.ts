import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { LIMITS } from '../contract';
import type { AppEnv } from '../env';
import { acceptEvents } from '../ingest/accept-events';
import { readBatch } from '../ingest/read-batch';
import { deliverReviewWebhooks } from '../reviews/webhook-delivery';
import { ApiError, errorBody } from '../lib/api-error';
import { TokenBuckets } from '../lib/token-bucket';
import { requestTime } from '../lib/clock';
import { siteForRequest } from '../sites/site-for-request';
import { storeEvents } from '../ingest/store-events';
import { eventWriterFor } from '../store/d1-event-writer';

const rateLimits = new TokenBuckets();

export const collect = new Hono<AppEnv>().post(
  '/v1/collect',
  bodyLimit({
    maxSize: LIMITS.bodyBytes,
    onError: (c) => c.json(errorBody('body_too_large', `The body is over ${LIMITS.bodyBytes} bytes. Send smaller batches.`), 413),
  }),
  async (c) => {
    const receivedAt = requestTime(c);
    const batch = readBatch(await c.req.text());
    const site = await siteForRequest(c, batch.site);

    const limit = rateLimits.take(site.id, batch.events.length, { perSecond: site.rate.events_per_second, burst: site.rate.burst });
    if (!limit.ok) {
      throw new ApiError(429, 'rate_limited', `Site "${site.id}" is over its event rate. Retry after ${limit.retryAfterSeconds} s.`, {
        'Retry-After': String(limit.retryAfterSeconds),
      });
    }

    const { accepted, rejected } = acceptEvents(batch, receivedAt);
    const stored = await storeEvents(c, site.id, accepted, receivedAt);
    if (stored.inserted > 0 && accepted.some((e) => e.name === 'review_submit')) {
      // Reviews reach the shop's webhook once processing has stored them; the cron retries.
      c.executionCtx.waitUntil(
        eventWriterFor(c.env.DB)
          .settled()
          .then(() => deliverReviewWebhooks(c.env, site.id))
          .catch((err) => console.error('review webhooks deferred to the cron', err)),
      );
    }

    return c.json({ accepted: stored.inserted, duplicates: stored.duplicates, rejected }, 202);
  },
);
