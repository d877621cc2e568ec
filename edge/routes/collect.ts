import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { LIMITS } from '../contract';
import type { AppEnv } from '../env';
import { acceptEvents } from '../ingest/accept-events';
import { readBatch } from '../ingest/read-batch';
import { refuseBadSurveyAnswers } from '../surveys/check-answers';
import { errorBody } from '../lib/api-error';
import { enforceSiteRate } from '../lib/rate-limit';
import { TokenBuckets } from '../lib/token-bucket';
import { requestTime } from '../lib/clock';
import { siteForRequest } from '../sites/site-for-request';
import { forgetUnprovenUsers } from '../sites/verify-user';
import { storeEvents } from '../ingest/store-events';
import { sendWebhooksOnceApplied } from '../ingest/after-store';
import { filterTraffic, requestSignals } from '../ingest/traffic-filter';
import { recordRepairs } from '../ingest/tagging-issues';
import { siteDb } from '../sites/site-database';

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
    const db = siteDb(c.env, site);

    enforceSiteRate(rateLimits, site, batch.events.length, 'event');

    const result = acceptEvents(batch, receivedAt, site.currency);
    await refuseBadSurveyAnswers(c.env, site.id, batch.events.length, result, receivedAt);
    const { accepted, rejected, userHashes, repairs } = result;
    const unverified = await forgetUnprovenUsers(site, accepted, userHashes);
    // Bots, automated browsers, staff and test browsers: recorded and counted apart, never stored as events.
    const { kept, excluded } = await filterTraffic(db, site, accepted, requestSignals(c.req.raw), receivedAt);
    const stored = await storeEvents(c, site.id, kept, receivedAt);
    if (repairs.length > 0) c.executionCtx.waitUntil(recordRepairs(db, site.id, repairs, receivedAt).catch((err) => console.error('tagging issues not counted', err)));
    // Queue mode: the consumer sends them once it has stored the events.
    if (stored.inserted > 0 && !stored.queued) sendWebhooksOnceApplied(c.env, db, c.executionCtx, site.id, kept);

    return c.json({ accepted: stored.inserted, duplicates: stored.duplicates, rejected, ...(stored.queued ? { queued: true } : {}), ...(excluded ? { excluded } : {}), ...(unverified ? { unverified_user_ids: unverified } : {}) }, 202);
  },
);
