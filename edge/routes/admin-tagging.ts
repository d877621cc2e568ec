import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { listTaggingIssues } from '../ingest/tagging-issues';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { knownSite } from '../sites/known-site';
import { siteDb } from '../sites/site-database';

/** GET /v1/admin/sites/:site/tagging — what the collector had to fix or drop to store this site's
 * events (a numeric coupon, a relative image URL...): the shop's tagging to correct. */
export const adminTagging = new Hono<AppEnv>().get('/v1/admin/sites/:site/tagging', requireSiteAdmin, async (c) => {
  const site = await knownSite(c);
  return c.json({ issues: await listTaggingIssues(siteDb(c.env, site), site.id) });
});
