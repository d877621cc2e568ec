import type { StageT } from '../contract';
import { addWidgetStats } from '../profiles/sql';
import type { Windows } from '../report/attribution';
import { decisionRollupStatements } from '../report/decision-rollups';
import { observeStageStatements } from '../report/stage-moves';
import { DEFAULT_TIMEZONE, localClock } from '../lib/site-time';
import type { Decided } from './engine';

/** Every decision, shown or held out, becomes a `decisions` row (for reports and caps) and
 * counts in the shopper's widget_stats row of its campaign. A holdout decision is also an exposure: it stands in
 * for the impression it withheld, so the held-out group meets the same caps and gaps as the
 * shown group. Shown decisions become exposures when the widget reports its impression. */

const INSERT_DECISIONS = `
INSERT INTO decisions (site, id, visitor_id, campaign, widget, variant, holdout, session_id, ts, placement, slot, stage)
SELECT ?1, x.value ->> '$.decision_id', ?2, x.value ->> '$.campaign', x.value ->> '$.template', x.value ->> '$.variant', x.value ->> '$.holdout',
       ?3, ?4, x.value ->> '$.placement', x.value ->> '$.slot', ?5
FROM json_each(?6) x WHERE true
ON CONFLICT (site, id) DO NOTHING`;

const COUNT_DECISIONS = `
INSERT INTO widget_stats (site, visitor_id, campaign, template, decisions, holdouts, last_decided_at, exposures, last_exposed_at, last_overlay_at,
                          session_id, session_exposures, day_started_at, day_exposures)
SELECT ?1, ?2, d.campaign, d.template, 1, d.holdout, ?4, d.holdout,
       CASE WHEN d.holdout THEN ?4 END, CASE WHEN d.holdout AND d.placement = 'overlay' THEN ?4 END,
       CASE WHEN d.holdout THEN ?3 END, d.holdout, CASE WHEN d.holdout THEN ?4 END, d.holdout
FROM (SELECT x.value ->> '$.campaign' AS campaign, x.value ->> '$.template' AS template, x.value ->> '$.holdout' AS holdout, x.value ->> '$.placement' AS placement
      FROM json_each(?5) x) AS d WHERE true
ON CONFLICT (site, visitor_id, campaign) DO UPDATE SET ${addWidgetStats()}`;

export function recordDecisions(
  db: D1Database,
  site: string,
  visitorId: string,
  sessionId: string,
  now: number,
  stage: StageT,
  decided: readonly Decided[],
  /** Attribution windows per campaign id, kept with the report rollups. */
  windows: Readonly<Record<string, Windows>>,
  /** The site's time zone: report rows fall on its local day. */
  timeZone: string = DEFAULT_TIMEZONE,
): Promise<unknown> {
  if (decided.length === 0) return Promise.resolve();
  const rows = JSON.stringify(
    decided.map((d) => ({ decision_id: d.decision_id, campaign: d.campaign, template: d.template, variant: d.variant, holdout: d.holdout ? 1 : 0, placement: d.placement, slot: d.slot })),
  );
  return db.batch([
    db.prepare(INSERT_DECISIONS).bind(site, visitorId, sessionId, now, stage, rows),
    db.prepare(COUNT_DECISIONS).bind(site, visitorId, sessionId, now, rows),
    ...decisionRollupStatements(
      db,
      site,
      visitorId,
      now,
      localClock(now, timeZone).day,
      decided.map((d) => ({ campaign: d.campaign, template: d.template, variant: d.variant, holdout: d.holdout ? 1 : 0, ...windows[d.campaign]! })),
    ),
    ...observeStageStatements(db, site, visitorId, now, stage),
  ]);
}
