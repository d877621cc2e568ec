import { TEMPLATE_GOALS } from '../contract';
import { profileVisitorOf } from '../identity/visitor';
import { BATCH_EVENTS } from '../pipeline/batch';
import { DAY_MS, HOUR_MS } from '../lib/time';

/** The default time zone's (Asia/Seoul) offset, which has no daylight saving. */
const DEFAULT_OFFSET_MS = 9 * HOUR_MS;

/** SQL fragments shared by profile maintenance (ingest) and decision recording. */


/** max/min of two nullable values (SQLite's scalar max/min return NULL if either is NULL). */
export const maxOf = (a: string, b: string) => `max(coalesce(${a}, ${b}), coalesce(${b}, ${a}))`;
export const minOf = (a: string, b: string) => `min(coalesce(${a}, ${b}), coalesce(${b}, ${a}))`;


/** The batch's events (`:events`, edge/pipeline/batch.ts) with the visitor each belongs to, as the CTE `ev`.
 * MATERIALIZED: statements read `ev` again in correlated subqueries, and each evaluation would
 * parse the events JSON anew (twice the ingest time in bench:ingest). */
export const events = (where: string) => `ev AS MATERIALIZED (
  SELECT e.id, e.name, e.ts, e.seq, e.session_id, e.user_id, e.url, e.props, ${profileVisitorOf('e.user_id', 'e.anon_id')} AS visitor
  FROM ${BATCH_EVENTS} e WHERE (${where}) AND {claimed})`;

/** A time sent as epoch ms or as an ISO 8601 date-time with offset (ShopTime), as epoch ms. */
export const epochMs = (expr: string) => `CASE WHEN typeof(${expr}) = 'text' THEN CAST(round((julianday(${expr}) - 2440587.5) * 86400000) AS INTEGER) ELSE ${expr} END`;

/** A purchase's revenue (`ev.props`), one meaning whatever the emitter puts in `value` (GTM4WP
 * adds shipping and tax, Magento sends the subtotal): the items total, price × quantity, when every
 * item has a price (rounded to 6 decimals: 8.9 × 3 is 26.7); else its `value`. Shipping and tax are kept
 * beside it on the order. */
export const purchaseValue = `coalesce(
  (SELECT CASE WHEN count(*) > 0 AND count(j.value ->> '$.price') = count(*) THEN round(total((j.value ->> '$.price') * coalesce(j.value ->> '$.quantity', 1)), 6) END
   FROM jsonb_each(ev.props, '$.items') j),
  ev.props ->> '$.value', 0)`;

export const sqlString = (value: string) => `'${value.replace(/'/g, "''")}'`;
export const inList = (values: readonly string[]) => values.map(sqlString).join(', ');

/** The campaign of a widget event (`ev`), by its decision (`d`, joined on the event's
 * decision_id); the event's own `campaign` or `widget` prop when the decision is unknown (a
 * config migrated from one entry per widget gave each campaign the widget's name). */
export const CAMPAIGN_OF_WIDGET_EVENT = `coalesce(d.campaign, ev.props ->> '$.campaign', ev.props ->> '$.widget')`;

/** What widgets report about a decision. */
export const WIDGET_EVENTS = ['widget_impression', 'widget_click', 'widget_dismiss', 'widget_submit'];
/** Events that are some template's goal (TEMPLATE_GOALS), and the goals as SQL `VALUES` rows (template, event, flag path). */
export const GOAL_EVENTS = [...new Set(TEMPLATE_GOALS.map((g) => g.event))];
export const GOALS_VALUES = TEMPLATE_GOALS.map((g) => `(${sqlString(g.template)}, ${sqlString(g.event)}, ${g.flag ? sqlString(`$.${g.flag}`) : 'NULL'})`).join(', ');

/** ON CONFLICT assignments that add the `excluded` row to a widget_stats row: counters add,
 * times take the later. Exposures also move the cap windows: the session count continues in
 * the same session and restarts in a newer one; the day count continues inside the shop's local
 * day (site_clocks) and restarts at its midnight. Older exposures arriving late never reset a newer window.
 * Used at ingest (widget events), when decisions are recorded and when profiles merge. */
export function addWidgetStats(t = 'widget_stats'): string {
  const newer = `coalesce(excluded.last_exposed_at, 0) >= coalesce(${t}.last_exposed_at, 0)`;
  // Days are the shop's local days (site_clocks; Seoul's offset when the site has no row).
  const offset = `coalesce((SELECT site_clocks.offset_ms FROM site_clocks WHERE site_clocks.site = ${t}.site), ${DEFAULT_OFFSET_MS})`;
  const sameDay = `${t}.day_started_at IS NOT NULL AND (excluded.day_started_at + ${offset}) / ${DAY_MS} = (${t}.day_started_at + ${offset}) / ${DAY_MS}`;
  const counters = ['decisions', 'holdouts', 'impressions', 'clicks', 'dismissals', 'submits', 'conversions', 'exposures'];
  const times = ['last_decided_at', 'last_impression_at', 'last_dismissed_at', 'last_converted_at', 'last_exposed_at', 'last_overlay_at'];
  return `
  ${counters.map((col) => `${col} = ${t}.${col} + excluded.${col}`).join(',\n  ')},
  ${times.map((col) => `${col} = ${maxOf(`${t}.${col}`, `excluded.${col}`)}`).join(',\n  ')},
  session_exposures = CASE
    WHEN excluded.session_id IS NULL THEN ${t}.session_exposures
    WHEN excluded.session_id = ${t}.session_id THEN ${t}.session_exposures + excluded.session_exposures
    WHEN ${newer} THEN excluded.session_exposures
    ELSE ${t}.session_exposures END,
  session_id = CASE WHEN excluded.session_id IS NOT NULL AND ${newer} THEN excluded.session_id ELSE ${t}.session_id END,
  day_exposures = CASE
    WHEN excluded.day_started_at IS NULL THEN ${t}.day_exposures
    WHEN ${sameDay} THEN ${t}.day_exposures + excluded.day_exposures
    WHEN ${t}.day_started_at IS NULL OR excluded.day_started_at > ${t}.day_started_at THEN excluded.day_exposures
    ELSE ${t}.day_exposures END,
  day_started_at = CASE
    WHEN excluded.day_started_at IS NULL THEN ${t}.day_started_at
    WHEN ${sameDay} THEN min(${t}.day_started_at, excluded.day_started_at)
    WHEN ${t}.day_started_at IS NULL OR excluded.day_started_at > ${t}.day_started_at THEN excluded.day_started_at
    ELSE ${t}.day_started_at END`;
}
