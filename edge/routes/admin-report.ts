import { Hono } from 'hono';
import { ReportQuery } from '../contract';
import { getSiteConfig } from '../config/config-store';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/api-error';
import { requestTime } from '../lib/clock';
import { localClock } from '../lib/site-time';
import { DAY_MS } from '../lib/time';
import { describeIssues } from '../lib/zod-issues';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { buildReport, type ReportPeriod } from '../report/build-report';
import { knownSite } from '../sites/known-site';
import { siteDb } from '../sites/site-database';

const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

/** A YYYY-MM-DD that names a real day, as days since the epoch (the site's local days share the numbering). */
function dayOf(value: string, name: string): number {
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new ApiError(400, 'invalid_query', `${name}: "${value}" is not a calendar day (YYYY-MM-DD).`);
  }
  return ms / DAY_MS;
}

function readPeriod(query: Record<string, string>, now: number, timeZone: string): ReportPeriod {
  const parsed = ReportQuery.safeParse(query);
  if (!parsed.success) throw new ApiError(400, 'invalid_query', `${describeIssues(parsed.error)}. Use ?from=YYYY-MM-DD&to=YYYY-MM-DD&campaign=<id>&template=<name>, all optional.`);
  const { from, to, campaign } = parsed.data;
  const template = parsed.data.template ?? parsed.data.widget;
  const toDay = to ? dayOf(to, 'to') : localClock(now, timeZone).day;
  const fromDay = from ? dayOf(from, 'from') : toDay - (DEFAULT_DAYS - 1);
  if (fromDay > toDay) throw new ApiError(400, 'invalid_query', `from (${from}) is after to (${to ?? 'today'}).`);
  if (toDay - fromDay + 1 > MAX_DAYS) throw new ApiError(400, 'invalid_query', `The period is ${toDay - fromDay + 1} days; a report covers at most ${MAX_DAYS}.`);
  return { fromDay, toDay, ...(campaign ? { campaign } : {}), ...(template ? { template } : {}) };
}

/** GET /v1/admin/sites/:site/report?from&to&campaign&template — per campaign and variant, the shown group
 * against the holdout group, cost and return, the store-wide control group, sample ratio checks
 * and the stage funnel (edge/contract/report.ts). Days are the site's local days (its
 * `timezone`). Default: the last 30 of them up to today. */
export const adminReport = new Hono<AppEnv>().get('/v1/admin/sites/:site/report', requireSiteAdmin, async (c) => {
  const site = await knownSite(c);
  const now = requestTime(c);
  const period = readPeriod(c.req.query(), now, site.timezone);
  const { config } = await getSiteConfig(c.env.KV, site.id, now);
  c.header('Cache-Control', 'no-store');
  return c.json(await buildReport(siteDb(c.env, site), site, config, period, now));
});
