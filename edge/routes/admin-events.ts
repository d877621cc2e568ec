import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { Batch, EpochMs, LIMITS } from '../contract';
import type { AppContext, AppEnv } from '../env';
import { acceptEvents, type Rejection } from '../ingest/accept-events';
import { storeEvents } from '../ingest/store-events';
import { refuseBadSurveyAnswers } from '../surveys/check-answers';
import { recordRepairs } from '../ingest/tagging-issues';
import { ApiError, errorBody } from '../lib/api-error';
import { requestTime } from '../lib/clock';
import { sha256Hex } from '../lib/crypto';
import { readJsonBody } from '../lib/read-json-body';
import { describeIssues } from '../lib/zod-issues';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { SERVER_SESSION_ID } from '../profiles/profile-processor';
import { knownSite } from '../sites/known-site';
import { siteDbById } from '../sites/site-database';

const ServerBatch = z.object({
  /** When the shop's server sent the batch, if its events carry its own clock's times. */
  sent_at: EpochMs.optional(),
  events: Batch.shape.events,
});

/** A shop's server knows the member, not the browser: events without anon_id get a stable one
 * derived from user_id, and session, url and ts get neutral values. Such events never start a
 * session (profile sessions count browser sessions only). */
async function withServerDefaults(raw: unknown, now: number): Promise<unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const event = { ...(raw as Record<string, unknown>) };
  if (event.anon_id === undefined && typeof event.user_id === 'string') event.anon_id = `srv_${(await sha256Hex(event.user_id)).slice(0, 32)}`;
  event.session_id ??= SERVER_SESSION_ID;
  event.url ??= 'https://server.invalid/';
  event.ts ??= now;
  return event;
}

/** POST /v1/admin/sites/:site/events — events confirmed by the shop's backend (order_delivered,
 * sign_up, purchase, ...) and what only it knows of a member (points_updated, tier_updated,
 * coupon_issued, coupon_redeemed: edge/contract/shop-events.ts), stored and applied to profiles
 * like browser events. Bad events are refused one by one with the collector's reasons. */
export const adminEvents = new Hono<AppEnv>().post(
  '/v1/admin/sites/:site/events',
  requireSiteAdmin,
  bodyLimit({
    maxSize: LIMITS.bodyBytes,
    onError: (c) => c.json(errorBody('body_too_large', `The body is over ${LIMITS.bodyBytes} bytes. Send smaller batches.`), 413),
  }),
  async (c) => {
    const site = await knownSite(c);
    return c.json(await ingestServerEvents(c, site.id, site.currency, await readJsonBody(c)), 202);
  },
);

/** Validates, stores and applies a batch from a shop's server; answers like the collector. */
export async function ingestServerEvents(c: AppContext, siteId: string, currency: string, raw: unknown): Promise<{ accepted: number; duplicates: number; rejected: Rejection[] }> {
  const now = requestTime(c);
  const body = ServerBatch.safeParse(raw);
  if (!body.success) throw new ApiError(400, 'invalid_batch', `${describeIssues(body.error)}. Send {"events": [...]} with the event shape of /v1/collect.`);
  const events = await Promise.all(body.data.events.map((e) => withServerDefaults(e, now)));
  const result = acceptEvents({ site: siteId, sent_at: body.data.sent_at ?? now, events }, now, currency, true);
  // Survey answers from the shop's server are held to the same survey campaigns as the browser's.
  await refuseBadSurveyAnswers(c.env, siteId, events.length, result, now);
  const { accepted, rejected, repairs } = result;
  const stored = await storeEvents(c, siteId, accepted, now);
  await recordRepairs(await siteDbById(c.env, siteId), siteId, repairs, now);
  return { accepted: stored.inserted, duplicates: stored.duplicates, rejected };
}
