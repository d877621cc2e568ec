/** Report rollups of recorded decisions, per campaign, sent in the same D1 batch as the
 * decisions themselves (edge/decide/record.ts). Parameters: ?1 site, ?2 visitor id, ?3 now, ?4
 * JSON rows [{campaign, template, variant, holdout, click_ms, view_ms}], ?5 the site's local day of now. */

const ROWS = `(SELECT x.value ->> '$.campaign' AS campaign, x.value ->> '$.template' AS template, x.value ->> '$.variant' AS variant, x.value ->> '$.holdout' AS holdout,
                      x.value ->> '$.click_ms' AS click_ms, x.value ->> '$.view_ms' AS view_ms FROM json_each(?4) x) AS d`;

/** Runs before the visitor row exists: a visitor is counted once, on their cohort day. */
const DAILY = `
INSERT INTO report_daily (site, day, campaign, template, variant, holdout, decisions, visitors)
SELECT ?1, ?5, d.campaign, max(d.template), d.variant, d.holdout, count(*),
       max(NOT EXISTS (SELECT 1 FROM report_visitors r WHERE r.site = ?1 AND r.visitor_id = ?2 AND r.campaign = d.campaign AND r.variant = d.variant AND r.holdout = d.holdout))
FROM ${ROWS} WHERE true GROUP BY d.campaign, d.variant, d.holdout
ON CONFLICT (site, day, campaign, variant, holdout) DO UPDATE SET
  decisions = report_daily.decisions + excluded.decisions, visitors = report_daily.visitors + excluded.visitors`;

/** A holdout decision is the group's exposure; the windows in force now replace older ones. */
const VISITORS = `
INSERT INTO report_visitors (site, visitor_id, campaign, template, variant, holdout, cohort_day, first_decided_at, last_decided_at, last_exposed_at, click_window_ms, view_window_ms)
SELECT ?1, ?2, d.campaign, d.template, d.variant, d.holdout, ?5, ?3, ?3, CASE WHEN d.holdout THEN ?3 END, d.click_ms, d.view_ms FROM ${ROWS} WHERE true
ON CONFLICT (site, visitor_id, campaign, variant, holdout) DO UPDATE SET
  last_decided_at = max(report_visitors.last_decided_at, excluded.last_decided_at),
  prev_exposed_at = CASE WHEN excluded.last_exposed_at > coalesce(report_visitors.last_exposed_at, 0) THEN report_visitors.last_exposed_at
                         WHEN excluded.last_exposed_at > coalesce(report_visitors.prev_exposed_at, 0) THEN excluded.last_exposed_at
                         ELSE report_visitors.prev_exposed_at END,
  last_exposed_at = CASE WHEN excluded.last_exposed_at > coalesce(report_visitors.last_exposed_at, 0) THEN excluded.last_exposed_at ELSE report_visitors.last_exposed_at END,
  click_window_ms = excluded.click_window_ms,
  view_window_ms = excluded.view_window_ms`;

export interface DecisionRollupRow {
  campaign: string;
  template: string;
  variant: string;
  holdout: 0 | 1;
  click_ms: number;
  view_ms: number;
}

export function decisionRollupStatements(db: D1Database, site: string, visitorId: string, now: number, day: number, rows: readonly DecisionRollupRow[]): D1PreparedStatement[] {
  const json = JSON.stringify(rows);
  return [db.prepare(DAILY).bind(site, visitorId, now, json, day), db.prepare(VISITORS).bind(site, visitorId, now, json, day)];
}
