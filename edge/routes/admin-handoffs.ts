import { Hono } from 'hono';
import { z } from 'zod';
import { readSiteConfig } from '../config/config-store';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/api-error';
import { requestTime } from '../lib/clock';
import { csvResponse } from '../lib/csv';
import { DAY_MS } from '../lib/time';
import { describeIssues } from '../lib/zod-issues';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { knownSite } from '../sites/known-site';
import { siteDb } from '../sites/site-database';
import { boundLimit } from '../lib/sql-limit';

/** A hand-off's audience as the shop takes it away: every member who entered it in the period,
 * with the group they fell in, their marketing consent as it stands now and what became of the
 * delivery. JSON for the admin, CSV for a spreadsheet or a messaging tool's import. */

const PAGE = 1000;
const MembersQuery = z.object({
  /** Days back from now (default 30). */
  days: z.coerce.number().int().min(1).max(366).default(30),
});

interface MemberRow {
  visitor_id: string;
  moment_at: number;
  grp: string;
  marketing_consent: number | null;
  delivery_state: string | null;
}

const READ_MEMBERS = `
SELECT m.visitor_id, m.moment_at, m.grp, p.marketing_consent,
       -- A delivery gone from the log was sent (only sent ones leave it: edge/archive/prune-state.ts).
       coalesce(d.state, CASE WHEN m.delivery_id IS NOT NULL THEN 'sent' END) AS delivery_state
FROM handoff_members m
LEFT JOIN profiles p ON p.site = m.site AND p.visitor_id = m.visitor_id
LEFT JOIN webhook_deliveries d ON d.site = m.site AND d.id = m.delivery_id
WHERE m.site = ?1 AND m.handoff = ?2 AND m.moment_at >= ?3 AND (m.moment_at, m.visitor_id) > (?4, ?5)
ORDER BY m.moment_at, m.visitor_id LIMIT ${boundLimit('?6')}`;

const asJson = (r: MemberRow) => ({
  user_id: r.visitor_id.slice(2),
  entered_at: new Date(r.moment_at).toISOString(),
  group: r.grp,
  marketing_consent: r.marketing_consent === 1,
  delivery: r.delivery_state,
});

export const adminHandoffs = new Hono<AppEnv>().get('/v1/admin/sites/:site/handoffs/:file{[a-z0-9][a-z0-9_-]*\\.(?:json|csv)}', requireSiteAdmin, async (c) => {
  const site = await knownSite(c);
  const file = c.req.param('file');
  const handoff = file.replace(/\.(json|csv)$/, '');
  const { config } = await readSiteConfig(c.env.KV, site.id);
  if (!config.handoffs.some((h) => h.id === handoff)) throw new ApiError(404, 'unknown_handoff', `No hand-off "${handoff}" in this site's config.`);
  const query = MembersQuery.safeParse(c.req.query());
  if (!query.success) throw new ApiError(400, 'invalid_query', describeIssues(query.error));
  const since = requestTime(c) - query.data.days * DAY_MS;
  const page = async (after: MemberRow | null) =>
    (await siteDb(c.env, site).prepare(READ_MEMBERS).bind(site.id, handoff, since, after?.moment_at ?? -1, after?.visitor_id ?? '', PAGE).all<MemberRow>()).results;
  if (file.endsWith('.csv')) {
    return csvResponse<MemberRow>(`${handoff}-${site.id}.csv`, ['user_id', 'entered_at', 'group', 'marketing_consent', 'delivery'], page, (r) => {
      const j = asJson(r);
      return [j.user_id, j.entered_at, j.group, j.marketing_consent ? 'yes' : 'no', j.delivery];
    });
  }
  // JSON is for the admin: counts by group, and the members up to a size a page can show.
  const rows: MemberRow[] = [];
  for (let last: MemberRow | null = null; rows.length < 10 * PAGE; ) {
    const next = await page(last);
    rows.push(...next);
    if (next.length < PAGE) break;
    last = next.at(-1)!;
  }
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.grp] = (counts[r.grp] ?? 0) + 1;
  return c.json({ handoff, days: query.data.days, counts, members: rows.map(asJson), truncated: rows.length >= 10 * PAGE });
});
