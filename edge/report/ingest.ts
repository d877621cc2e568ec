import { WIDGET_NAMES } from '../contract';
import { guardedStatement, statementFor } from '../pipeline/guarded-statement';
import { BATCH_EVENTS, type StepStatements } from '../pipeline/batch';
import { REFUND_TAKE, REFUNDS, WHOLLY_REFUNDED } from '../pipeline/refunds';
import { CAMPAIGN_OF_WIDGET_EVENT, GOAL_EVENTS, GOALS_VALUES, inList, maxOf, minOf, purchaseValue, WIDGET_EVENTS } from '../profiles/sql';
import { IDENTITY_IDS, profileVisitorOf } from '../identity/visitor';
import { siteOffsetMs } from '../sites/site-clock';
import { DAY_MS } from '../lib/time';
import { PREVIEW_DECISION_PREFIX } from '../preview/preview-store';

/** Report rollups from each ingest batch, inside its exactly-once transaction
 * (edge/pipeline/run.ts). `reportEventsProcessor` runs before the profile processor (a
 * purchase is new while its transaction id is not in `orders` yet); `reportStagesProcessor` after
 * it (it reads the orders the batch added). Parameters: :site, :events, and :offset, the site's UTC
 * offset in ms (site_clocks), so that event-time counters fall on the shop's local day. */


/** Widget events with the campaign, variant and group of their decision (the props' if the decision is unknown). */
const WIDGET_ROWS = `
ev AS MATERIALIZED (
  SELECT e.id AS eid, e.name, e.ts, e.anon_id, e.user_id, e.props,
         e.props ->> '$.decision_id' AS decision_id, e.props ->> '$.variant' AS variant
  FROM ${BATCH_EVENTS} e WHERE e.name IN (${inList(WIDGET_EVENTS)}) AND {claimed}),
w AS (
  SELECT ev.eid, ev.name, ev.ts, ev.anon_id, ev.user_id, ${CAMPAIGN_OF_WIDGET_EVENT} AS campaign,
         coalesce(d.widget, ev.props ->> '$.widget') AS template, coalesce(d.variant, ev.variant, 'default') AS v, coalesce(d.holdout, 0) AS h
  FROM ev LEFT JOIN decisions d ON d.site = :site AND d.id = ev.decision_id
  WHERE coalesce(d.widget, ev.props ->> '$.widget') IN (${inList(WIDGET_NAMES)})
    -- A marketer's preview (edge/preview) is not a shopper's exposure.
    AND coalesce(ev.decision_id, '') NOT LIKE '${PREVIEW_DECISION_PREFIX}%')`;

const WIDGET_DAILY = `
WITH ${WIDGET_ROWS}
INSERT INTO report_daily (site, day, campaign, template, variant, holdout, impressions, clicks, dismissals, submits)
SELECT :site, (w.ts + CAST(:offset AS INTEGER)) / ${DAY_MS}, w.campaign, max(w.template), w.v, w.h,
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
ev AS MATERIALIZED (
  SELECT e.id AS eid, e.name, e.ts, e.anon_id, e.user_id, e.props
  FROM ${BATCH_EVENTS} e WHERE e.name IN (${inList(GOAL_EVENTS)}) AND {claimed}),
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
  -- CROSS JOIN: the batch's conversions drive, each reaching its visitor's rows by key (the planner
  -- would otherwise walk every report row of the site).
  FROM conv JOIN ids ON ids.eid = conv.eid
  CROSS JOIN report_visitors r
  WHERE r.site = :site AND r.visitor_id = ids.vid AND r.template = conv.template
    AND ((conv.ts >= r.last_click_at AND conv.ts - r.last_click_at <= r.click_window_ms)
     OR (conv.ts >= r.last_exposed_at AND conv.ts - r.last_exposed_at <= r.view_window_ms)
     OR (conv.ts >= r.prev_exposed_at AND conv.ts - r.prev_exposed_at <= r.view_window_ms))),
credit AS MATERIALIZED (
  SELECT visitor_id, campaign, variant, holdout, count(*) AS n, total(value) AS value, min(ts) AS ts
  FROM credited GROUP BY 1, 2, 3, 4)`;

/** Runs before the rows are marked converted: a visitor's first conversion counts on their cohort day. */
const CONVERSION_DAILY = `
WITH ${CREDITS}
INSERT INTO report_daily (site, day, campaign, template, variant, holdout, conversions, revenue, revenue_sq)
SELECT :site, r.cohort_day, r.campaign, r.template, r.variant, r.holdout, r.converted_at IS NULL, c.value,
       (r.revenue + c.value) * (r.revenue + c.value) - r.revenue * r.revenue
FROM credit c CROSS JOIN report_visitors r
WHERE r.site = :site AND r.visitor_id = c.visitor_id AND r.campaign = c.campaign AND r.variant = c.variant AND r.holdout = c.holdout
ON CONFLICT (site, day, campaign, variant, holdout) DO UPDATE SET
  conversions = report_daily.conversions + excluded.conversions, revenue = report_daily.revenue + excluded.revenue,
  revenue_sq = report_daily.revenue_sq + excluded.revenue_sq`;

const CONVERSION_STATE = `
WITH ${CREDITS}
UPDATE report_visitors SET conversions = report_visitors.conversions + c.n, revenue = report_visitors.revenue + c.value,
  converted_at = ${minOf('report_visitors.converted_at', 'c.ts')}
FROM credit c
WHERE report_visitors.site = :site AND report_visitors.visitor_id = c.visitor_id AND report_visitors.campaign = c.campaign
  AND report_visitors.variant = c.variant AND report_visitors.holdout = c.holdout AND report_visitors.visitor_id IN (SELECT visitor_id FROM credit)`;

/** Which report rows each order's revenue went to, for its refund. */
const CREDIT_LEDGER = `
WITH ${CREDITS}
INSERT INTO report_credits (site, transaction_id, visitor_id, campaign, variant, holdout, cohort_day, value)
SELECT :site, tx, visitor_id, campaign, variant, holdout, cohort_day, value FROM credited WHERE tx IS NOT NULL AND value != 0
ON CONFLICT DO NOTHING`;

/** Credits of the orders this batch refunds that were not wholly taken back yet, with what each gives back now. */
const REFUNDED = `
${REFUNDS},
back AS (
  SELECT c.*, rf.ts AS refund_ts, ${REFUND_TAKE('c')} AS take
  FROM rf CROSS JOIN report_credits c
  WHERE c.site = :site AND c.transaction_id = rf.tx AND c.refunded_at IS NULL)`;

/** A refund takes its value back from the report where the order was counted (conversions stay:
 * the shopper did convert): the cohort day's row of report_daily (revenue and the sum of squares
 * of per-visitor revenue), the visitor's row of report_visitors. */
const REFUND_DAILY = `
WITH ${REFUNDED},
pv AS (SELECT visitor_id, campaign, variant, holdout, cohort_day, total(take) AS take FROM back GROUP BY 1, 2, 3, 4, 5),
t AS MATERIALIZED (
  SELECT pv.cohort_day AS k, pv.campaign, pv.variant, pv.holdout, total(pv.take) AS value,
         total(coalesce((r.revenue - pv.take) * (r.revenue - pv.take) - r.revenue * r.revenue, 0)) AS sq
  FROM pv LEFT JOIN report_visitors r ON r.site = :site AND r.visitor_id = pv.visitor_id AND r.campaign = pv.campaign
    AND r.variant = pv.variant AND r.holdout = pv.holdout
  GROUP BY 1, 2, 3, 4)
UPDATE report_daily SET revenue = report_daily.revenue - t.value, revenue_sq = report_daily.revenue_sq + t.sq FROM t
WHERE report_daily.site = :site AND report_daily.day = t.k AND report_daily.campaign = t.campaign
  AND report_daily.variant = t.variant AND report_daily.holdout = t.holdout AND report_daily.day IN (SELECT k FROM t)`;

const REFUND_VISITORS = `
WITH ${REFUNDED},
t AS MATERIALIZED (SELECT visitor_id AS k, campaign, variant, holdout, total(take) AS value FROM back GROUP BY 1, 2, 3, 4)
UPDATE report_visitors SET revenue = report_visitors.revenue - t.value FROM t
WHERE report_visitors.site = :site AND report_visitors.visitor_id = t.k AND report_visitors.campaign = t.campaign
  AND report_visitors.variant = t.variant AND report_visitors.holdout = t.holdout AND report_visitors.visitor_id IN (SELECT k FROM t)`;

const REFUND_MARK = `
WITH ${REFUNDED}
UPDATE report_credits SET refunded = report_credits.refunded + back.take,
  refunded_at = CASE WHEN ${WHOLLY_REFUNDED('report_credits', 'back.take')} THEN back.refund_ts END
FROM back
WHERE report_credits.site = :site AND report_credits.transaction_id = back.transaction_id AND report_credits.campaign = back.campaign
  AND report_credits.variant = back.variant AND report_credits.holdout = back.holdout AND report_credits.transaction_id IN (SELECT tx FROM rf)`;

/** The batch's purchases not seen before, once per transaction (as in CREDITS). */
const NEW_PURCHASES = `
ev0 AS MATERIALIZED (
  SELECT e.id AS eid, e.ts, e.anon_id, e.user_id, e.props, e.props ->> '$.transaction_id' AS tx
  FROM ${BATCH_EVENTS} e WHERE e.name = 'purchase' AND {claimed}),
ev AS MATERIALIZED (
  SELECT * FROM ev0 WHERE tx IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.site = :site AND o.transaction_id = ev0.tx)
    AND eid = (SELECT min(e2.eid) FROM ev0 e2 WHERE e2.tx = ev0.tx))`;

/** Benefit codes a purchase used and the discount that came with each: an item's coupon takes
 * its discount × quantity; the order's coupon takes the order's discount and the discounts
 * of items without a coupon of their own. Codes are kept in lower case. */
const REDEMPTIONS = `
WITH ${NEW_PURCHASES},
red AS (
  SELECT ev.tx, ev.ts, lower(trim(j.value ->> '$.coupon')) AS code,
         coalesce(j.value ->> '$.discount', 0) * coalesce(j.value ->> '$.quantity', 1) AS d
  FROM ev, jsonb_each(ev.props, '$.items') j WHERE typeof(j.value ->> '$.coupon') = 'text'
  UNION ALL
  SELECT ev.tx, ev.ts, lower(trim(ev.props ->> '$.coupon')),
         coalesce(ev.props ->> '$.discount', 0) + (SELECT total(coalesce(j.value ->> '$.discount', 0) * coalesce(j.value ->> '$.quantity', 1))
                                                  FROM jsonb_each(ev.props, '$.items') j WHERE typeof(j.value ->> '$.coupon') != 'text')
  FROM ev WHERE typeof(ev.props ->> '$.coupon') = 'text')
INSERT INTO report_redemptions (site, transaction_id, code, ts, discount)
SELECT :site, tx, code, min(ts), total(d) FROM red WHERE code != '' GROUP BY tx, code
ON CONFLICT DO NOTHING`;

/** Purchases of shoppers with a control-group row, each credited to one row of the shopper (the
 * member's when there is one) when made after the assignment. */
const CONTROL_CREDITS = `
${NEW_PURCHASES},
${IDENTITY_IDS},
pick AS (
  SELECT ids.eid, min(CASE WHEN ids.vid LIKE 'u:%' THEN '0' ELSE '1' END || ids.vid) AS k
  FROM ids JOIN ev ON ev.eid = ids.eid JOIN control_group g ON g.site = :site AND g.visitor_id = ids.vid AND ev.ts >= g.assigned_at
  GROUP BY 1),
cg AS (SELECT substr(pick.k, 2) AS vid, count(*) AS n, total(${purchaseValue}) AS value FROM pick JOIN ev ON ev.eid = pick.eid GROUP BY 1)`;

/** Runs before the rows are updated: buyers, repeat buyers and revenue (and its squares) on the cohort day. */
const CONTROL_DAILY = `
WITH ${CONTROL_CREDITS}
INSERT INTO control_daily (site, day, in_control, buyers, repeat_buyers, revenue, revenue_sq)
SELECT :site, g.cohort_day, g.in_control, sum(g.orders = 0), sum(g.orders < 2 AND g.orders + cg.n >= 2), total(cg.value),
       total((g.revenue + cg.value) * (g.revenue + cg.value) - g.revenue * g.revenue)
FROM cg JOIN control_group g ON g.site = :site AND g.visitor_id = cg.vid WHERE true GROUP BY 2, 3
ON CONFLICT (site, day, in_control) DO UPDATE SET
  buyers = control_daily.buyers + excluded.buyers, repeat_buyers = control_daily.repeat_buyers + excluded.repeat_buyers,
  revenue = control_daily.revenue + excluded.revenue, revenue_sq = control_daily.revenue_sq + excluded.revenue_sq`;

/** A refund that leaves nothing of the order — one of the whole order, or parts that together come
 * to it — cancels its benefit: the shop gave nothing, so the order's redemptions leave the
 * campaigns' cost; while some of the order stands, the cost stays. Reads `orders.refunded_at`, which
 * the profile step sets (edge/profiles/profile-processor.ts), so it runs after profiles. */
const REFUNDED_REDEMPTIONS = `
WITH ${REFUNDS}
DELETE FROM report_redemptions WHERE site = :site AND transaction_id IN (
  SELECT o.transaction_id FROM rf CROSS JOIN orders o WHERE o.site = :site AND o.transaction_id = rf.tx AND o.refunded_at IS NOT NULL)`;

/** Which control-group row each new order went to, for its refund. */
const CONTROL_LEDGER = `
WITH ${CONTROL_CREDITS}
INSERT INTO control_credits (site, transaction_id, visitor_id, value)
SELECT :site, ev.tx, substr(pick.k, 2), ${purchaseValue} FROM pick JOIN ev ON ev.eid = pick.eid WHERE true
ON CONFLICT DO NOTHING`;

/** The batch's refunds of orders credited to the control group's rows, not wholly taken back yet. */
const CONTROL_REFUNDED = `
${REFUNDS},
back AS MATERIALIZED (
  SELECT c.transaction_id, c.visitor_id, ${REFUND_TAKE('c')} AS take
  FROM rf CROSS JOIN control_credits c WHERE c.site = :site AND c.transaction_id = rf.tx AND c.refunded < c.value),
per AS (SELECT visitor_id, total(take) AS take FROM back GROUP BY 1)`;

/** A refund takes its value back from the shopper's cohort day (revenue and the sum of squares of
 * per-shopper revenue); runs before the shopper's row is updated, as CONTROL_DAILY does. CROSS
 * JOIN keeps the refunded shoppers the outer loop (SQLite chose to walk the site's control_group). */
const CONTROL_REFUND_DAILY = `
WITH ${CONTROL_REFUNDED},
t AS MATERIALIZED (
  SELECT g.cohort_day AS k, g.in_control, total(per.take) AS value,
         total((g.revenue - per.take) * (g.revenue - per.take) - g.revenue * g.revenue) AS sq
  FROM per CROSS JOIN control_group g ON g.site = :site AND g.visitor_id = per.visitor_id GROUP BY 1, 2)
UPDATE control_daily SET revenue = control_daily.revenue - t.value, revenue_sq = control_daily.revenue_sq + t.sq FROM t
WHERE control_daily.site = :site AND control_daily.day = t.k AND control_daily.in_control = t.in_control AND control_daily.day IN (SELECT k FROM t)`;

const CONTROL_REFUND_STATE = `
WITH ${CONTROL_REFUNDED}
UPDATE control_group SET revenue = control_group.revenue - per.take FROM per
WHERE control_group.site = :site AND control_group.visitor_id = per.visitor_id AND control_group.visitor_id IN (SELECT visitor_id FROM per)`;

const CONTROL_REFUND_MARK = `
WITH ${CONTROL_REFUNDED}
UPDATE control_credits SET refunded = control_credits.refunded + back.take FROM back
WHERE control_credits.site = :site AND control_credits.transaction_id = back.transaction_id AND control_credits.transaction_id IN (SELECT tx FROM rf)`;

const CONTROL_STATE = `
WITH ${CONTROL_CREDITS}
UPDATE control_group SET orders = control_group.orders + cg.n, revenue = control_group.revenue + cg.value
FROM cg WHERE control_group.site = :site AND control_group.visitor_id = cg.vid`;

/** A purchase makes a shopper 'new' or 'active' (profiles.stage, set from orders by the profile processor). */
const BUYERS = `buyers AS (
  SELECT ${profileVisitorOf('e.user_id', 'e.anon_id')} AS visitor, max(e.ts) AS ts
  FROM ${BATCH_EVENTS} e WHERE e.name = 'purchase' AND {claimed} GROUP BY 1)`;

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

/** Each statement with the event names it reads (it is sent only the batch's events of those). */
const EVENT_SQL: [readonly string[], string][] = [
  [WIDGET_EVENTS, WIDGET_DAILY],
  [WIDGET_EVENTS, WIDGET_STATE],
  [GOAL_EVENTS, CONVERSION_DAILY],
  [GOAL_EVENTS, CONVERSION_STATE],
  [GOAL_EVENTS, CREDIT_LEDGER],
  [['refund'], REFUND_DAILY],
  [['refund'], REFUND_VISITORS],
  [['refund'], REFUND_MARK],
  [['purchase'], REDEMPTIONS],
  [['purchase'], CONTROL_DAILY],
  [['purchase'], CONTROL_STATE],
  [['purchase'], CONTROL_LEDGER],
  // After the batch's purchases are credited (an order bought and refunded in one batch), each
  // before the row it reads from is changed: the daily row reads the shopper's revenue, the mark
  // closes the credit.
  [['refund'], CONTROL_REFUND_DAILY],
  [['refund'], CONTROL_REFUND_STATE],
  [['refund'], CONTROL_REFUND_MARK],
];

/** Keeps the mirrored offset current for SQL that reads it (widget_stats' day caps, edge/profiles/sql.ts). */
const REFRESH_OFFSET = `UPDATE site_clocks SET offset_ms = :offset WHERE site = :site AND offset_ms != :offset AND {claimed}`;

export const reportEventsProcessor: StepStatements = async (db, batch) => {
  const offset = await siteOffsetMs(db, batch.site, Date.now());
  return [guardedStatement(db, batch, REFRESH_OFFSET, { offset }), ...EVENT_SQL.map(([names, sql]) => statementFor(db, batch, names, sql, { offset }))].filter(
    (s): s is D1PreparedStatement => s !== null,
  );
};
/** After profiles: stage moves read the stage the batch's orders gave, and a refund's redemptions
 * the order's refunded state (REDEMPTIONS ran before, so an order bought and wholly refunded in one
 * batch leaves no cost either). */
const AFTER_PROFILES: [readonly string[], string][] = [
  [['purchase'], STAGE_MOVES],
  [['purchase'], STAGE_SET],
  [['refund'], REFUNDED_REDEMPTIONS],
];

export const reportStagesProcessor: StepStatements = async (db, batch) =>
  AFTER_PROFILES.map(([names, sql]) => statementFor(db, batch, names, sql)).filter((s): s is D1PreparedStatement => s !== null);
