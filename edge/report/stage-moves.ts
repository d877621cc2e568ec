import type { StageT } from '../contract';

/** The stage funnel's moves. A profile keeps the stage last counted for it (profiles.report_stage,
 * NULL read as 'prospect'); when a stage computed for the shopper differs, the move is logged in
 * stage_moves and report_stage follows. Stages are computed, and so moves counted:
 * - at ingest, after a purchase is applied (prospect/at_risk/wakeup... -> new or active);
 * - at decision time, with the stage the engine computed (which is time-based: new -> at_risk,
 *   at_risk -> dormant -> wakeup are counted when the shopper is next decided for).
 * A shopper who never comes back is not logged as moving to dormant; the funnel's counts (which
 * evaluate every profile at the end of the period) do include them. */

const LOG_MOVE = `
INSERT INTO stage_moves (site, ts, visitor_id, from_stage, to_stage)
SELECT ?1, ?3, visitor_id, coalesce(report_stage, 'prospect'), ?4 FROM profiles
WHERE site = ?1 AND visitor_id = ?2 AND coalesce(report_stage, 'prospect') != ?4`;
const SET_STAGE = `UPDATE profiles SET report_stage = ?4 WHERE site = ?1 AND visitor_id = ?2 AND report_stage IS NOT ?4`;

/** Statements that count a move of one profile to `stage` observed at `now`. */
export function observeStageStatements(db: D1Database, site: string, visitorId: string, now: number, stage: StageT): D1PreparedStatement[] {
  return [db.prepare(LOG_MOVE).bind(site, visitorId, now, stage), db.prepare(SET_STAGE).bind(site, visitorId, now, stage)];
}
