import { WIDGET_NAMES } from '../contract';
import { guardedStatement } from '../ingest/guarded-statement';
import type { BatchProcessor } from '../ingest/process-batch';
import { CAMPAIGN_OF_WIDGET_EVENT, GOAL_EVENTS, GOALS_VALUES, inList, maxOf, minOf, purchaseValue, visitorOf, WIDGET_EVENTS } from '../profiles/sql';
import { DAY_MS } from '../lib/time';
import { IDENTITY_IDS } from './attribution';

/** Report rollups from each ingest batch, inside its exactly-once transaction
 * (edge/ingest/process-batch.ts). `reportEventsProcessor` runs before the profile processor (a
 * purchase is new while its transaction id is not in `orders` yet); `reportStagesProcessor` after
 * it (it reads the orders the batch added). Parameters: :site, :batch. */


/** Widget events with the campaign, variant and group of their decision (the props' if the decision is unknown). */
const WIDGET_ROWS = `
ev AS (
  SELECT e.id AS eid, e.name, e.ts, e.anon_id, e.user_id, e.props,
         e.props ->> '$.decision_id' AS decision_id, e.props ->> '$.variant' AS variant
  FROM events e WHERE e.batch_id = :batch AND e.name IN (${inList(WIDGET_EVENTS)}) AND {claimed}),
w AS (
  SELECT ev.eid, ev.name, ev.ts, ev.anon_id, ev.user_id, ${CAMPAIGN_OF_WIDGET_EVENT} AS campaign,
         coalesce(d.widget, ev.props ->> '$.widget') AS template, coalesce(d.variant, ev.variant, 'default') AS v, coalesce(d.holdout, 0) AS h
  FROM ev LEFT JOIN decisions d ON d.site = :site AND d.id = ev.decision_id
  WHERE coalesce(d.widget, ev.props ->> '$.widget') IN (${inList(WIDGET_NAMES)}))`;

const WIDGET_DAILY = `
WITH ${WIDGET_ROWS}
INSERT INTO report_daily (site, day, campaign, template, variant, holdout, impressions, clicks, dismissals, submits)
SELECT :site, w.ts / ${DAY_MS}, w.campaign, max(w.template), w.v, w.h,
       sum(w.name = 'widget_impression'), sum(w.name = 'widget_click'), sum(w.name = 'widget_dismiss'), sum(w.name = 'widget_submit')
FROM w WHERE true GROUP BY 2, 3, 5, 6
ON CONFLICT (site, day, campaign, variant, holdout) DO UPDATE SET
  impressions = report_daily.impressions + excluded.impressions, clicks = report_daily.clicks + excluded.clicks,
  dismissals = report_daily.dismissals + excluded.dismissals, submits = report_daily.submits + excluded.submits`;

/** Impressions and clicks open attribution windows on the shopper's shown-group rows. */
const WIDGET_STATE = `
WITH ${WIDGET_ROWS}, ${IDENTITY_IDS},
t AS (
  SELECT ids.vid, w.campaign, w.v, max(CASE WHEN w.name = 'widget_impression' THEN w.ts END) AS imp, max(CASE WHEN w.name = 'widget_click' THEN w.ts END) AS click
  FROM w JOIN ids ON ids.eid = w.eid WHERE w.h = 0 GROUP BY 1, 2, 3)
UPDATE report_visitors SET
  prev_exposed_at = CASE WHEN t.imp > coalesce(report_visitors.last_exposed_at, 0) THEN report_visitors.last_exposed_at
                         WHEN t.imp > coalesce(report_visitors.prev_exposed_at, 0) THEN t.imp
                         ELSE report_visitors.prev_exposed_at END,
  last_exposed_at = ${maxOf('report_visitors.last_exposed_at', 't.imp')},
  last_click_at = ${maxOf('report_visitors.last_click_at', 't.click')}
FROM t
WHERE report_visitors.site = :site AND report_visitors.visitor_id = t.vid AND report_visitors.campaign = t.campaign
  AND report_visitors.variant = t.v AND report_visitors.holdout = 0`;

/** Each goal event, once per template it is a goal of (so once per campaign of that template); a purchase once per transaction. */
const CREDITS = `
ev AS (
  SELECT e.id AS eid, e.name, e.ts, e.anon_id, e.user_id, e.props
  FROM events e WHERE e.batch_id = :batch AND e.name IN (${inList(GOAL_EVENTS)}) AND {claimed}),
goals (template, event, flag) AS (VALUES ${GOALS_VALUES}),
conv AS (
  SELECT ev.eid, ev.ts, goals.template, CASE WHEN ev.name = 'purchase' THEN ${purchaseValue} ELSE 0 END AS value,
         CASE WHEN ev.name = 'purchase' THEN ev.props ->> '$.transaction_id' END AS tx
  FROM ev JOIN goals ON goals.event = ev.name
  WHERE (goals.flag IS NULL OR (ev.props ->> goals.flag) = 1)
    AND (ev.name != 'purchase' OR (
      NOT EXISTS (SELECT 1 FROM orders o WHERE o.site = :site AND o.transaction_id = (ev.props ->> '$.transaction_id'))
      AND ev.eid = (SELECT min(e2.eid) FROM ev e2 WHERE e2.name = 'purchase' AND (e2.props ->> '$.transaction_id') IS (ev.props ->> '$.transaction_id'))))),
${IDENTITY_IDS},
credited AS (
  SELECT r.visitor_id, r.campaign, r.template, r.variant, r.holdout, r.cohort_day, conv.ts, conv.value, conv.tx
  FROM conv JOIN ids ON ids.eid = conv.eid
  JOIN report_visitors r ON r.site = :site AND r.visitor_id = ids.vid AND r.template = conv.template
  WHERE (conv.ts >= r.last_click_at AND conv.ts - r.last_click_at <= r.click_window_ms)
     OR (conv.ts >= r.last_exposed_at AND conv.ts - r.last_exposed_at <= r.view_window_ms)
     OR (conv.ts >= r.prev_exposed_at AND conv.ts - r.prev_exposed_at <= r.view_window_ms)),
credit AS (
  SELECT visitor_id, campaign, variant, holdout, count(*) AS n, total(value) AS value, min(ts) AS ts
  FROM credited GROUP BY 1, 2, 3, 4)`;

/** Runs before the rows are marked converted: a visitor's first conversion counts on their cohort day. */
const CONVERSION_DAILY = `
WITH ${CREDITS}
INSERT INTO report_daily (site, day, campaign, template, variant, holdout, conversions, revenue)
SELECT :site, r.cohort_day, r.campaign, r.template, r.variant, r.holdout, r.converted_at IS NULL, c.value
FROM credit c JOIN report_visitors r ON r.site = :site AND r.visitor_id = c.visitor_id AND r.campaign = c.campaign AND r.variant = c.variant AND r.holdout = c.holdout
WHERE true
ON CONFLICT (site, day, campaign, variant, holdout) DO UPDATE SET
  conversions = report_daily.conversions + excluded.conversions, revenue = report_daily.revenue + excluded.revenue`;

const CONVERSION_STATE = `
WITH ${CREDITS}
UPDATE report_visitors SET conversions = report_visitors.conversions + c.n, revenue = report_visitors.revenue + c.value,
  converted_at = ${minOf('report_visitors.converted_at', 'c.ts')}
FROM credit c
WHERE report_visitors.site = :site AND report_visitors.visitor_id = c.visitor_id AND report_visitors.campaign = c.campaign
  AND report_visitors.variant = c.variant AND report_visitors.holdout = c.holdout`;

/** Which report rows each order's revenue went to, for its refund. */
const CREDIT_LEDGER = `
WITH ${CREDITS}
INSERT INTO report_credits (site, transaction_id, visitor_id, campaign, variant, holdout, cohort_day, value)
SELECT :site, tx, visitor_id, campaign, variant, holdout, cohort_day, value FROM credited WHERE tx IS NOT NULL AND value != 0
ON CONFLICT DO NOTHING`;

/** Credits of the orders this batch refunds that were not taken back yet. */
const REFUNDED = `
rf AS (
  SELECT e.props ->> '$.transaction_id' AS tx, max(e.ts) AS ts
  FROM events e WHERE e.batch_id = :batch AND e.name = 'refund' AND {claimed} GROUP BY 1),
back AS (
  SELECT c.*, rf.ts AS refund_ts FROM report_credits c JOIN rf ON rf.tx = c.transaction_id
  WHERE c.site = :site AND c.refunded_at IS NULL)`;

/** A refunded order's revenue leaves the report where it was counted (conversions stay: the
 * shopper did convert): the cohort day's row of report_daily, the visitor's row of report_visitors. */
const refundFrom = (table: 'report_daily' | 'report_visitors', key: 'day' | 'visitor_id', credit: 'cohort_day' | 'visitor_id') => `
WITH ${REFUNDED},
t AS (SELECT ${credit} AS k, campaign, variant, holdout, total(value) AS value FROM back GROUP BY 1, 2, 3, 4)
UPDATE ${table} SET revenue = ${table}.revenue - t.value FROM t
WHERE ${table}.site = :site AND ${table}.${key} = t.k AND ${table}.campaign = t.campaign
  AND ${table}.variant = t.variant AND ${table}.holdout = t.holdout`;
const REFUND_DAILY = refundFrom('report_daily', 'day', 'cohort_day');
const REFUND_VISITORS = refundFrom('report_visitors', 'visitor_id', 'visitor_id');

const REFUND_MARK = `
WITH ${REFUNDED}
UPDATE report_credits SET refunded_at = back.refund_ts FROM back
WHERE report_credits.site = :site AND report_credits.transaction_id = back.transaction_id AND report_credits.campaign = back.campaign
  AND report_credits.variant = back.variant AND report_credits.holdout = back.holdout`;

/** A purchase makes a shopper 'new' or 'active' (profiles.stage, set from orders by the profile processor). */
const BUYERS = `buyers AS (
  SELECT ${visitorOf('e.user_id', 'e.anon_id')} AS visitor, max(e.ts) AS ts
  FROM events e WHERE e.batch_id = :batch AND e.name = 'purchase' AND {claimed} GROUP BY 1)`;

const STAGE_MOVES = `
WITH ${BUYERS}
INSERT INTO stage_moves (site, ts, visitor_id, from_stage, to_stage)
SELECT :site, b.ts, p.visitor_id, coalesce(p.report_stage, 'prospect'), p.stage
FROM buyers b JOIN profiles p ON p.site = :site AND p.visitor_id = b.visitor
WHERE p.orders > 0 AND coalesce(p.report_stage, 'prospect') != p.stage`;

const STAGE_SET = `
WITH ${BUYERS}
UPDATE profiles SET report_stage = profiles.stage FROM buyers b
WHERE profiles.site = :site AND profiles.visitor_id = b.visitor AND profiles.orders > 0 AND profiles.report_stage IS NOT profiles.stage`;

const statements = (sqls: readonly string[]): BatchProcessor =>
  async (db, batch) => sqls.map((sql) => guardedStatement(db, batch, sql, { site: batch.site, batch: batch.id }));

export const reportEventsProcessor = statements([WIDGET_DAILY, WIDGET_STATE, CONVERSION_DAILY, CONVERSION_STATE, CREDIT_LEDGER, REFUND_DAILY, REFUND_VISITORS, REFUND_MARK]);
export const reportStagesProcessor = statements([STAGE_MOVES, STAGE_SET]);
