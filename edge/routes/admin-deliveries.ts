import { Hono } from 'hono';
import { DeliveryLogQuery, ReplayInput, type DeliveryLogT } from '../contract';
import type { AppEnv } from '../env';
import { listDeliveries, replayDeliveries } from '../handoff/deliveries';
import { sendDueDeliveries } from '../handoff/send';
import { ApiError } from '../lib/api-error';
import { limitBody, SETTINGS_BODY_BYTES } from '../lib/body-limit';
import { requestTime } from '../lib/clock';
import { readJsonBody } from '../lib/read-json-body';
import { describeIssues } from '../lib/zod-issues';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { knownSite } from '../sites/known-site';
import { siteDb } from '../sites/site-database';

/** The webhook delivery log (hand-offs and reviews) and replay of what failed. */
export const adminDeliveries = new Hono<AppEnv>()
  .get('/v1/admin/sites/:site/deliveries', requireSiteAdmin, async (c) => {
    const site = await knownSite(c);
    const query = DeliveryLogQuery.safeParse(c.req.query());
    if (!query.success) throw new ApiError(400, 'invalid_query', describeIssues(query.error));
    const rows = await listDeliveries(siteDb(c.env, site), site.id, query.data);
    const log: DeliveryLogT = {
      deliveries: rows.map((r) => ({ ...r, advertising: r.advertising === 1, body: JSON.parse(r.body) as unknown })),
      next_before: rows.length === query.data.limit ? rows.at(-1)!.seq : null,
    };
    return c.json(log);
  })
  .post('/v1/admin/sites/:site/deliveries/replay', requireSiteAdmin, limitBody(SETTINGS_BODY_BYTES), async (c) => {
    const site = await knownSite(c);
    const input = ReplayInput.safeParse(await readJsonBody(c));
    if (!input.success) throw new ApiError(400, 'invalid_replay', describeIssues(input.error));
    const now = requestTime(c);
    const replayed = await replayDeliveries(siteDb(c.env, site), site.id, input.data.ids ?? null, now);
    if (replayed > 0) c.executionCtx.waitUntil(sendDueDeliveries(c.env, site.id, now).catch((err) => console.error('replay deferred to the cron', err)));
    return c.json({ replayed });
  });
