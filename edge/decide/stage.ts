import type { SiteConfigT, StageT } from '../contract';
import { DAY_MS } from '../lib/time';
import { churnRiskSql } from './churn';
import { boundLimit } from '../lib/sql-limit';

/** What the lifecycle stage is computed from (columns of `profiles`). */
export interface StageFacts {
  orders: number;
  last_purchase_at: number | null;
  last_seen: number;
  /** The longest absence since the last purchase, and when it ended. */
  return_gap_ms: number;
  returned_at: number | null;
}

/**
 * The stage at `now`. Ingest stores facts, not the time-dependent stage, so thresholds changed
 * in config apply at once and nothing has to sweep profiles as days pass:
 * - prospect: no purchase (stays prospect however long away);
 * - new: one purchase, at most `at_risk_days` ago; active: two or more, the last at most
 *   `repurchase_window_days` ago; past those, at_risk;
 * - dormant: a customer not seen for `dormant_days`;
 * - wakeup: a dormant customer who came back (an absence of more than `dormant_days` since the
 *   last purchase), until they buy again, for `at_risk_days` after the return.
 * `presentNow` says the shopper is on the site at this moment (a decide request): a dormant
 * customer making one has come back, even before this visit's events are applied.
 */
export function lifecycleStage(facts: StageFacts | null, thresholds: SiteConfigT['stages'], now: number, presentNow = false): StageT {
  if (!facts || facts.orders <= 0 || facts.last_purchase_at === null) return 'prospect';
  const dormantMs = thresholds.dormant_days * DAY_MS;
  if (now - facts.last_seen > dormantMs) return presentNow ? 'wakeup' : 'dormant';
  if (facts.returned_at !== null && facts.return_gap_ms > dormantMs && now - facts.returned_at <= thresholds.at_risk_days * DAY_MS) return 'wakeup';
  const sincePurchase = now - facts.last_purchase_at;
  if (facts.orders >= 2) return sincePurchase <= thresholds.repurchase_window_days * DAY_MS ? 'active' : 'at_risk';
  return sincePurchase <= thresholds.at_risk_days * DAY_MS ? 'new' : 'at_risk';
}

/** lifecycleStage in SQL over `profiles` columns, for counting stages of many profiles at once
 * (report funnel). The thresholds and `now` are inlined as numbers. Keep the two in step. */
export function lifecycleStageSql(thresholds: SiteConfigT['stages'], now: number): string {
  const n = Math.round(now);
  const dormant = Math.round(thresholds.dormant_days * DAY_MS);
  const atRisk = Math.round(thresholds.at_risk_days * DAY_MS);
  const repurchase = Math.round(thresholds.repurchase_window_days * DAY_MS);
  return `CASE
    WHEN orders <= 0 OR last_purchase_at IS NULL THEN 'prospect'
    WHEN ${n} - last_seen > ${dormant} THEN 'dormant'
    WHEN returned_at IS NOT NULL AND return_gap_ms > ${dormant} AND ${n} - returned_at <= ${atRisk} THEN 'wakeup'
    WHEN orders >= 2 THEN CASE WHEN ${n} - last_purchase_at <= ${repurchase} THEN 'active' ELSE 'at_risk' END
    ELSE CASE WHEN ${n} - last_purchase_at <= ${atRisk} THEN 'new' ELSE 'at_risk' END END`;
}

/** The site's at_risk model applied to a stage from lifecycleStage: with 'churn_risk', a
 * customer inside the windows ('new', 'active') or past them ('at_risk') is at_risk exactly when
 * their personal churn risk reaches the threshold (edge/decide/churn.ts). Dormant and wakeup,
 * which are about absence from the site rather than from buying, stay as they are. */
export function stageWithChurnModel(stage: StageT, orders: number, risk: number | null, thresholds: SiteConfigT['stages']): StageT {
  if (thresholds.at_risk_model !== 'churn_risk' || risk === null) return stage;
  if (stage !== 'new' && stage !== 'active' && stage !== 'at_risk') return stage;
  if (risk >= thresholds.churn_risk_threshold) return 'at_risk';
  return orders >= 2 ? 'active' : 'new';
}

/** The windows' stages that the churn_risk model decides between (stageWithChurnModel). */
const CHURN_MODEL_STAGES = `('new', 'active', 'at_risk')`;

/** Counts one slice of the site's shoppers per stage at `now` (the report's funnel), on the site's
 * at_risk model: the profiles after visitor id ?3 in key order, at most ?4 of them (?1 the site,
 * ?2 the last first visit counted). Rows `{stage, n}` per stage, and one `{stage: null, last,
 * rows}` saying where the slice ended and how many profiles it read, so the caller goes on from
 * `last` until a slice comes back short: each statement reads a bounded slice, and D1's one writer
 * is free between them (one pass over a big shop's profiles held it for seconds).
 * With 'churn_risk' the customers in the windows' stages are placed by their churn risk as
 * stageWithChurnModel places them, computed in SQL from their orders (churnRiskSql). */
export function stageCountsSql(thresholds: SiteConfigT['stages'], now: number): string {
  const stage = lifecycleStageSql(thresholds, now);
  const slice = `slice AS MATERIALIZED (
  SELECT visitor_id, first_seen, last_seen, orders, last_purchase_at, return_gap_ms, returned_at FROM profiles
  WHERE site = ?1 AND visitor_id > ?3 ORDER BY visitor_id LIMIT ${boundLimit('?4')})`;
  const cursor = `SELECT NULL AS stage, 0 AS n, (SELECT max(visitor_id) FROM slice) AS last, (SELECT count(*) FROM slice) AS rows`;
  if (thresholds.at_risk_model !== 'churn_risk') {
    return `WITH ${slice}
SELECT ${stage} AS stage, count(*) AS n, NULL AS last, NULL AS rows FROM slice WHERE first_seen <= ?2 GROUP BY 1
UNION ALL ${cursor}`;
  }
  return `WITH ${slice},
p AS MATERIALIZED (SELECT visitor_id, orders, ${stage} AS stage FROM slice WHERE first_seen <= ?2),
${churnRiskSql(`SELECT visitor_id FROM p WHERE stage IN ${CHURN_MODEL_STAGES}`, now, thresholds.repurchase_window_days)}
SELECT CASE WHEN p.stage IN ${CHURN_MODEL_STAGES} AND r.risk IS NOT NULL
         THEN CASE WHEN r.risk >= ${thresholds.churn_risk_threshold} THEN 'at_risk' WHEN p.orders >= 2 THEN 'active' ELSE 'new' END
         ELSE p.stage END AS stage, count(*) AS n, NULL AS last, NULL AS rows
FROM p LEFT JOIN churn_risk r ON r.visitor_id = p.visitor_id GROUP BY 1
UNION ALL ${cursor}`;
}
