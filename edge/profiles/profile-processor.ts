import { WIDGET_NAMES } from '../contract';
import { guardedStatement, statementFor } from '../pipeline/guarded-statement';
import { BATCH_EVENTS, type StepStatements } from '../pipeline/batch';
import { REFUND_TAKE, REFUNDS, WHOLLY_REFUNDED } from '../pipeline/refunds';
import { ITEM_CYCLES, PRUNE_PAIRS, REPURCHASE_PAIRS } from './repurchase';
import { FACT_ONLY_EVENTS, shopFactStatements } from './shop-facts';
import { planBatch, SERVER_SESSION_ID, type BatchEventRow, type BatchPlan } from './batch-plan';
import { addWidgetStats, CAMPAIGN_OF_WIDGET_EVENT, events, GOAL_EVENTS, GOALS_VALUES, inList, maxOf, minOf, purchaseValue, sqlString, WIDGET_EVENTS } from './sql';
import { profileVisitorOf } from '../identity/visitor';

export { SERVER_SESSION_ID };

/** Keeps lifecycle profiles (profiles, visitor_sessions, product_views, cart_items, orders,
 * reviewed_products, widget_stats, identity_links) up to date from each ingest batch, inside
 * the batch's exactly-once transaction (edge/pipeline/run.ts).
 *
 * Statements are set-based over the batch's events (BATCH_EVENTS, bound as :events) and apply changes relative to what
 * the database holds when the transaction runs (counters add, times take max/min), so batches of
 * one visitor applied in any order or concurrently converge. Only the statements the batch's
 * event names need are sent. Parameters: :site, :events, :data (JSON rows the plan computed). */

/** Of the batch's identity pairs (?1, JSON [{anon_id, user_id}]), those identity_links does not hold yet. */
const READ_NEW_LINKS = `
SELECT x.value ->> '$.anon_id' AS anon_id, x.value ->> '$.user_id' AS user_id FROM json_each(?1) x
WHERE NOT EXISTS (SELECT 1 FROM identity_links l WHERE l.site = ?2 AND l.anon_id = x.value ->> '$.anon_id' AND l.user_id = x.value ->> '$.user_id')`;


/** The plan's rows (`:data`), each read with `->>` straight from binary JSON (BATCH_EVENTS says why). */
const JSON_ROWS = 'jsonb_each(:data) x WHERE {claimed}';
const jsonVisitor = profileVisitorOf("(x.value ->> '$.user_id')", "(x.value ->> '$.anon_id')");
const PAIRS = `pairs AS (SELECT 'a:' || (x.value ->> '$.anon_id') AS from_id, 'u:' || (x.value ->> '$.user_id') AS to_id FROM ${JSON_ROWS})`;

const stageFromOrders = (orders: string) => `CASE WHEN ${orders} >= 2 THEN 'active' WHEN ${orders} = 1 THEN 'new' ELSE 'prospect' END`;


/** Moves everything of an anonymous profile that just got linked into the member's profile, so
 * history, caps and suppression follow the member to every device. */
function mergeStatements(): string[] {
  const merge = (table: string, key: string, columns: string, assignments: string) => `
WITH ${PAIRS}
INSERT INTO ${table} (site, visitor_id, ${columns})
SELECT a.site, pairs.to_id, ${columns.split(',').map((col) => `a.${col.trim()}`).join(', ')}
FROM pairs CROSS JOIN ${table} a WHERE a.site = :site AND a.visitor_id = pairs.from_id
ON CONFLICT (${key}) DO UPDATE SET ${assignments}`;
  const byVisitor = 'site, visitor_id';
  const byItem = 'site, visitor_id, item_id';
  const p = 'profiles';
  return [
    merge(
      'profiles',
      byVisitor,
      'stage, stage_changed_at, first_seen, last_seen, sessions, last_session_id, page_views, orders, revenue, first_purchase_at, last_purchase_at, is_member, marketing_consent, marketing_consent_at, cart, cart_value, cart_updated_at, return_gap_ms, returned_at, signed_up_at',
      `stage = ${stageFromOrders(`${p}.orders + excluded.orders`)},
       first_seen = min(${p}.first_seen, excluded.first_seen),
       last_seen = max(${p}.last_seen, excluded.last_seen),
       sessions = ${p}.sessions + excluded.sessions,
       last_session_id = CASE WHEN excluded.last_seen > ${p}.last_seen THEN excluded.last_session_id ELSE ${p}.last_session_id END,
       page_views = ${p}.page_views + excluded.page_views,
       orders = ${p}.orders + excluded.orders,
       revenue = ${p}.revenue + excluded.revenue,
       first_purchase_at = ${minOf(`${p}.first_purchase_at`, 'excluded.first_purchase_at')},
       last_purchase_at = ${maxOf(`${p}.last_purchase_at`, 'excluded.last_purchase_at')},
       signed_up_at = ${minOf(`${p}.signed_up_at`, 'excluded.signed_up_at')},
       is_member = 1,
       marketing_consent = CASE WHEN coalesce(excluded.marketing_consent_at, -1) > coalesce(${p}.marketing_consent_at, -1) THEN excluded.marketing_consent ELSE ${p}.marketing_consent END,
       marketing_consent_at = ${maxOf(`${p}.marketing_consent_at`, 'excluded.marketing_consent_at')},
       return_gap_ms = max(${p}.return_gap_ms, excluded.return_gap_ms),
       returned_at = CASE WHEN excluded.return_gap_ms > ${p}.return_gap_ms THEN excluded.returned_at ELSE ${p}.returned_at END`,
    ),
    merge(
      'product_views',
      byItem,
      'item_id, views, last_viewed_at, purchased_at, item',
      `views = product_views.views + excluded.views,
       last_viewed_at = max(product_views.last_viewed_at, excluded.last_viewed_at),
       purchased_at = ${maxOf('product_views.purchased_at', 'excluded.purchased_at')},
       item = CASE WHEN excluded.last_viewed_at > product_views.last_viewed_at THEN coalesce(excluded.item, product_views.item) ELSE coalesce(product_views.item, excluded.item) END`,
    ),
    merge(
      'cart_items',
      byItem,
      'item_id, quantity, item, updated_at',
      `quantity = max(cart_items.quantity, excluded.quantity),
       item = CASE WHEN excluded.updated_at > cart_items.updated_at THEN excluded.item ELSE cart_items.item END,
       updated_at = max(cart_items.updated_at, excluded.updated_at)`,
    ),
    merge(
      'widget_stats',
      'site, visitor_id, campaign',
      'campaign, template, decisions, holdouts, impressions, clicks, dismissals, submits, conversions, exposures, last_decided_at, last_impression_at, last_dismissed_at, last_converted_at, last_exposed_at, last_overlay_at, session_id, session_exposures, day_started_at, day_exposures',
      addWidgetStats(),
    ),
    merge('survey_answers', 'site, visitor_id, survey, question', 'survey, question, answers, answered_at',
      `answers = CASE WHEN excluded.answered_at > survey_answers.answered_at THEN excluded.answers ELSE survey_answers.answers END,
       answered_at = max(survey_answers.answered_at, excluded.answered_at)`),
    merge('reviewed_products', byItem, 'item_id, rating, reviewed_at', 'reviewed_at = max(reviewed_products.reviewed_at, excluded.reviewed_at)'),
    `WITH ${PAIRS} UPDATE orders SET visitor_id = pairs.to_id FROM pairs WHERE orders.site = :site AND orders.visitor_id = pairs.from_id AND orders.visitor_id IN (SELECT from_id FROM pairs)`,
    `WITH ${PAIRS} UPDATE decisions SET visitor_id = pairs.to_id FROM pairs WHERE decisions.site = :site AND decisions.visitor_id = pairs.from_id AND decisions.visitor_id IN (SELECT from_id FROM pairs)`,
    ...['profiles', 'product_views', 'cart_items', 'widget_stats', 'reviewed_products', 'survey_answers'].map(
      (table) => `WITH ${PAIRS} DELETE FROM ${table} WHERE site = :site AND visitor_id IN (SELECT from_id FROM pairs)`,
    ),
  ];
}

/** Events that are not the shopper's own activity on the site. */
const NOT_ACTIVITY = ['order_delivered', ...FACT_ONLY_EVENTS];

/** last_session: each visitor's latest browser session, computed once (SQLite's max() takes the
 * bare session_id from the row with the latest ts) and joined by visitor, through an automatic
 * index. A subquery scanning `ev` per visitor made this statement quadratic in the round's size;
 * so did one reading last_session per visitor, which SQLite ran as a scan of it each time (this
 * statement for a round of 500 / 1,000 / 2,000 browsers in node:sqlite: 15 / 48 / 163 ms, joined
 * 6.5 / 13 / 20 ms). */
const PROFILE_ACTIVITY = `
WITH ${events(`e.name NOT IN (${inList(NOT_ACTIVITY)})`)},
last_session AS MATERIALIZED (
  SELECT visitor, session_id, max(ts) FROM ev WHERE session_id != ${sqlString(SERVER_SESSION_ID)} GROUP BY visitor)
INSERT INTO profiles (site, visitor_id, first_seen, last_seen, sessions, last_session_id, page_views, is_member)
SELECT :site, ev.visitor, min(ev.ts), max(ev.ts),
  count(DISTINCT CASE WHEN ev.session_id != ${sqlString(SERVER_SESSION_ID)}
    AND NOT EXISTS (SELECT 1 FROM visitor_sessions s WHERE s.site = :site AND s.session_id = ev.session_id) THEN ev.session_id END),
  max(ls.session_id),
  sum(ev.name = 'page_view'),
  max(ev.user_id IS NOT NULL OR ev.name IN ('sign_up', 'login'))
FROM ev LEFT JOIN last_session ls ON ls.visitor = ev.visitor GROUP BY ev.visitor
ON CONFLICT (site, visitor_id) DO UPDATE SET
  first_seen = min(profiles.first_seen, excluded.first_seen),
  last_seen = max(profiles.last_seen, excluded.last_seen),
  sessions = profiles.sessions + excluded.sessions,
  last_session_id = CASE WHEN excluded.last_session_id IS NOT NULL AND excluded.last_seen >= profiles.last_seen THEN excluded.last_session_id ELSE profiles.last_session_id END,
  page_views = profiles.page_views + excluded.page_views,
  is_member = max(profiles.is_member, excluded.is_member),
  return_gap_ms = CASE WHEN excluded.first_seen - profiles.last_seen > profiles.return_gap_ms THEN excluded.first_seen - profiles.last_seen ELSE profiles.return_gap_ms END,
  returned_at = CASE WHEN excluded.first_seen - profiles.last_seen > profiles.return_gap_ms THEN excluded.first_seen ELSE profiles.returned_at END`;

const SESSIONS = `
INSERT INTO visitor_sessions (site, session_id, anon_id, started_at, last_seen, page_views, utm_source, utm_medium, utm_campaign)
SELECT :site, x.value ->> '$.session_id', x.value ->> '$.anon_id', x.value ->> '$.started_at', x.value ->> '$.last_seen', x.value ->> '$.page_views',
       x.value ->> '$.utm_source', x.value ->> '$.utm_medium', x.value ->> '$.utm_campaign'
FROM ${JSON_ROWS}
ON CONFLICT (site, session_id) DO UPDATE SET
  started_at = min(visitor_sessions.started_at, excluded.started_at),
  last_seen = max(visitor_sessions.last_seen, excluded.last_seen),
  page_views = visitor_sessions.page_views + excluded.page_views,
  ${['utm_source', 'utm_medium', 'utm_campaign']
    .map((col) => `${col} = CASE WHEN coalesce(excluded.utm_source, excluded.utm_medium, excluded.utm_campaign) IS NOT NULL THEN excluded.${col} ELSE visitor_sessions.${col} END`)
    .join(',\n  ')}`;

const PRODUCT_VIEWS = `
WITH ${events("e.name = 'view_item'")},
items AS (
  SELECT ev.visitor, j.value ->> '$.item_id' AS item_id, ev.ts,
         json_object('item_id', j.value ->> '$.item_id', 'item_name', j.value ->> '$.item_name', 'price', j.value ->> '$.price',
                     'currency', ev.props ->> '$.currency', 'image_url', j.value ->> '$.image_url',
                     'url', coalesce(j.value ->> '$.url', CASE WHEN json_array_length(ev.props, '$.items') = 1 THEN ev.url END)) AS item
  FROM ev, jsonb_each(ev.props, '$.items') j WHERE j.value ->> '$.item_id' IS NOT NULL)
INSERT INTO product_views (site, visitor_id, item_id, views, last_viewed_at, item)
SELECT :site, visitor, item_id, count(*), max(ts), item FROM items GROUP BY visitor, item_id
ON CONFLICT (site, visitor_id, item_id) DO UPDATE SET
  views = product_views.views + excluded.views,
  last_viewed_at = max(product_views.last_viewed_at, excluded.last_viewed_at),
  item = CASE WHEN excluded.last_viewed_at >= product_views.last_viewed_at THEN excluded.item ELSE product_views.item END`;

/** Marketing consent: the latest consent_update decides; a lead with marketing_consent grants it. */
const CONSENT = `
WITH ${events("e.name IN ('consent_update', 'lead_submit')")},
choices AS (
  SELECT visitor, ts, CASE WHEN name = 'consent_update' THEN (props ->> '$.marketing') ELSE 1 END AS value,
         row_number() OVER (PARTITION BY visitor ORDER BY ts DESC, seq DESC) AS recency
  FROM ev WHERE name = 'consent_update' OR (props ->> '$.marketing_consent') = 1),
latest AS MATERIALIZED (SELECT visitor, value, ts FROM choices WHERE recency = 1)
UPDATE profiles SET marketing_consent = latest.value, marketing_consent_at = latest.ts
FROM latest WHERE profiles.site = :site AND profiles.visitor_id = latest.visitor AND coalesce(profiles.marketing_consent_at, 0) <= latest.ts
  AND profiles.visitor_id IN (SELECT visitor FROM latest)`;

const WIDGET_STATS = `
WITH ${events(`e.name IN (${inList(WIDGET_EVENTS)})`)},
w AS (
  SELECT ev.visitor, ${CAMPAIGN_OF_WIDGET_EVENT} AS campaign, coalesce(d.widget, ev.props ->> '$.widget') AS template, ev.name, ev.ts, ev.session_id,
         coalesce(d.placement, CASE WHEN (ev.props ->> '$.widget') = 'recommendations' THEN 'inline' ELSE 'overlay' END) AS placement
  FROM ev LEFT JOIN decisions d ON d.site = :site AND d.id = (ev.props ->> '$.decision_id')
  WHERE coalesce(d.widget, ev.props ->> '$.widget') IN (${inList(WIDGET_NAMES)})),
imp AS (SELECT * FROM w WHERE name = 'widget_impression'),
last_imp AS (SELECT visitor, campaign, session_id, max(ts) FROM imp GROUP BY visitor, campaign)
INSERT INTO widget_stats (site, visitor_id, campaign, template, impressions, clicks, dismissals, submits, exposures,
                          last_impression_at, last_dismissed_at, last_exposed_at, last_overlay_at,
                          session_id, session_exposures, day_started_at, day_exposures)
SELECT :site, w.visitor, w.campaign, max(w.template),
  sum(w.name = 'widget_impression'), sum(w.name = 'widget_click'), sum(w.name = 'widget_dismiss'), sum(w.name = 'widget_submit'),
  sum(w.name = 'widget_impression'),
  max(CASE WHEN w.name = 'widget_impression' THEN w.ts END),
  max(CASE WHEN w.name = 'widget_dismiss' THEN w.ts END),
  max(CASE WHEN w.name = 'widget_impression' THEN w.ts END),
  max(CASE WHEN w.name = 'widget_impression' AND w.placement = 'overlay' THEN w.ts END),
  l.session_id,
  coalesce(sum(w.name = 'widget_impression' AND w.session_id = l.session_id), 0),
  min(CASE WHEN w.name = 'widget_impression' THEN w.ts END),
  sum(w.name = 'widget_impression')
FROM w LEFT JOIN last_imp l ON l.visitor = w.visitor AND l.campaign = w.campaign
GROUP BY w.visitor, w.campaign
ON CONFLICT (site, visitor_id, campaign) DO UPDATE SET ${addWidgetStats()}`;

/** A goal event (TEMPLATE_GOALS, by template) after an impression of a campaign converts it. A purchase counts
 * once per transaction, so this runs before the order is inserted. */
const CONVERSIONS = `
WITH ${events(`e.name IN (${inList(GOAL_EVENTS)})`)},
goals (template, event, flag) AS (VALUES ${GOALS_VALUES}),
conv AS MATERIALIZED (
  SELECT ev.visitor, goals.template, count(*) AS n, max(ev.ts) AS ts
  FROM ev JOIN goals ON goals.event = ev.name
  WHERE (goals.flag IS NULL OR (ev.props ->> goals.flag) = 1)
    AND (ev.name != 'purchase' OR NOT EXISTS (SELECT 1 FROM orders o WHERE o.site = :site AND o.transaction_id = (ev.props ->> '$.transaction_id')))
  GROUP BY ev.visitor, goals.template)
UPDATE widget_stats SET conversions = widget_stats.conversions + conv.n, last_converted_at = ${maxOf('widget_stats.last_converted_at', 'conv.ts')}
FROM conv
WHERE widget_stats.site = :site AND widget_stats.visitor_id = conv.visitor AND widget_stats.template = conv.template
  AND widget_stats.last_impression_at <= conv.ts AND widget_stats.visitor_id IN (SELECT visitor FROM conv)`;

const PURCHASES = `${events("e.name = 'purchase'")},
pe AS (SELECT visitor, ts, props ->> '$.transaction_id' AS tx, ${purchaseValue} AS value, props ->> '$.currency' AS currency, props -> '$.items' AS items,
              props ->> '$.shipping' AS shipping, props ->> '$.tax' AS tax FROM ev)`;

/** Counts orders new to the orders table (a purchase resent with another event id counts once). */
const ORDER_PROFILE = `
WITH ${PURCHASES},
new_orders AS (SELECT tx, min(visitor) AS visitor, min(ts) AS ts, max(value) AS value FROM pe
               WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.site = :site AND o.transaction_id = pe.tx) GROUP BY tx),
per AS (SELECT visitor, count(*) AS n, total(value) AS value, min(ts) AS first_ts, max(ts) AS last_ts FROM new_orders GROUP BY visitor)
UPDATE profiles SET
  orders = profiles.orders + per.n,
  revenue = profiles.revenue + per.value,
  first_purchase_at = ${minOf('profiles.first_purchase_at', 'per.first_ts')},
  last_purchase_at = ${maxOf('profiles.last_purchase_at', 'per.last_ts')},
  stage = ${stageFromOrders('profiles.orders + per.n')},
  stage_changed_at = CASE WHEN profiles.stage != ${stageFromOrders('profiles.orders + per.n')} THEN per.last_ts ELSE profiles.stage_changed_at END,
  return_gap_ms = CASE WHEN per.last_ts >= coalesce(profiles.returned_at, 0) THEN 0 ELSE profiles.return_gap_ms END,
  returned_at = CASE WHEN per.last_ts >= coalesce(profiles.returned_at, 0) THEN NULL ELSE profiles.returned_at END
FROM per WHERE profiles.site = :site AND profiles.visitor_id = per.visitor`;

/** An order keeps of its items only their ids, which the review prompt reads (name, image and
 * link come from the catalogue, else from the product_views row PURCHASED_PRODUCTS writes):
 * orders stay for good, the GA4 item JSON would be most of them. */
const ORDERS = `
WITH ${PURCHASES},
po AS (SELECT tx, min(visitor) AS visitor, min(ts) AS ts, max(value) AS value, max(currency) AS currency, max(items) AS items,
              max(shipping) AS shipping, max(tax) AS tax FROM pe GROUP BY tx)
INSERT INTO orders (site, transaction_id, visitor_id, ts, value, currency, items, shipping, tax)
SELECT :site, tx, visitor, ts, value, currency,
       (SELECT json_group_array(j.value ->> '$.item_id') FROM jsonb_each(po.items) j WHERE j.value ->> '$.item_id' IS NOT NULL),
       shipping, tax FROM po WHERE true
ON CONFLICT (site, transaction_id) DO NOTHING`;

const PURCHASED_PRODUCTS = `
WITH ${events("e.name = 'purchase'")}
INSERT INTO product_views (site, visitor_id, item_id, views, last_viewed_at, purchased_at, item)
SELECT :site, ev.visitor, j.value ->> '$.item_id', 0, 0, max(ev.ts),
       json_object('item_id', j.value ->> '$.item_id', 'item_name', j.value ->> '$.item_name', 'price', j.value ->> '$.price', 'currency', ev.props ->> '$.currency')
FROM ev, jsonb_each(ev.props, '$.items') j WHERE j.value ->> '$.item_id' IS NOT NULL
GROUP BY ev.visitor, j.value ->> '$.item_id'
ON CONFLICT (site, visitor_id, item_id) DO UPDATE SET
  purchased_at = ${maxOf('product_views.purchased_at', 'excluded.purchased_at')},
  -- a product bought without being viewed keeps its name for repurchase reminders
  item = coalesce(product_views.item, excluded.item)`;

/** What the batch's refunds take back of each order not wholly refunded yet (edge/pipeline/refunds.ts). */
const REFUNDED_ORDERS = `
${REFUNDS},
back AS MATERIALIZED (
  SELECT o.transaction_id, o.visitor_id, rf.ts, ${REFUND_TAKE('o')} AS take
  FROM rf CROSS JOIN orders o WHERE o.site = :site AND o.transaction_id = rf.tx AND o.refunded_at IS NULL)`;

/** A refund takes what it gives back off the shopper's revenue (runs before the orders are marked). */
const REFUND_PROFILE = `
WITH ${REFUNDED_ORDERS},
per AS (SELECT visitor_id, total(take) AS take FROM back GROUP BY 1)
UPDATE profiles SET revenue = max(0, profiles.revenue - per.take) FROM per
WHERE profiles.site = :site AND profiles.visitor_id = per.visitor_id AND profiles.visitor_id IN (SELECT visitor_id FROM per)`;

/** The order keeps what went back of it; once nothing is left it is refunded (no review asked, its
 * coupon's cost cancelled: edge/report/ingest.ts). */
const REFUND_ORDERS = `
WITH ${REFUNDED_ORDERS}
UPDATE orders SET refunded = orders.refunded + back.take,
  refunded_at = CASE WHEN ${WHOLLY_REFUNDED('orders', 'back.take')} THEN back.ts END
FROM back WHERE orders.site = :site AND orders.transaction_id = back.transaction_id AND orders.transaction_id IN (SELECT tx FROM rf)`;

const DELIVERED = `
WITH ${events("e.name = 'order_delivered'")},
d AS (SELECT props ->> '$.transaction_id' AS tx, min(ts) AS ts FROM ev GROUP BY tx)
UPDATE orders SET delivered_at = d.ts FROM d WHERE orders.site = :site AND orders.transaction_id = d.tx AND orders.delivered_at IS NULL`;

const REVIEWS = `
WITH ${events("e.name = 'review_submit'")}
INSERT INTO reviewed_products (site, visitor_id, item_id, rating, reviewed_at)
SELECT :site, visitor, props ->> '$.item_id', props ->> '$.rating', max(ts) FROM ev GROUP BY visitor, props ->> '$.item_id'
ON CONFLICT (site, visitor_id, item_id) DO UPDATE SET rating = excluded.rating, reviewed_at = max(reviewed_products.reviewed_at, excluded.reviewed_at)`;

/** A clear empties the lines its visitor's cart held at that time (an EXISTS over the clears per
 * cart line read them all again for each line). */
const CART_CLEAR = `
WITH cl AS MATERIALIZED (SELECT visitor, max(ts) AS ts FROM (SELECT ${jsonVisitor} AS visitor, x.value ->> '$.ts' AS ts FROM ${JSON_ROWS}) GROUP BY visitor)
DELETE FROM cart_items WHERE (site, visitor_id, item_id) IN (
  SELECT ci.site, ci.visitor_id, ci.item_id FROM cl CROSS JOIN cart_items ci ON ci.site = :site AND ci.visitor_id = cl.visitor WHERE ci.updated_at <= cl.ts)`;

const CART_OPS = `ops AS MATERIALIZED (
  SELECT ${jsonVisitor} AS visitor, x.value ->> '$.item_id' AS item_id, x.value ->> '$.floor' AS floor, x.value ->> '$.delta' AS delta,
         x.value ->> '$.item' AS item, x.value ->> '$.ts' AS ts
  FROM ${JSON_ROWS})`;

/** Existing lines take the folded change; new lines are inserted after (so each applies once). */
const CART_UPDATE = `
WITH ${CART_OPS}
UPDATE cart_items SET quantity = max(ops.floor, cart_items.quantity + ops.delta), item = coalesce(ops.item, cart_items.item),
                      updated_at = max(cart_items.updated_at, ops.ts)
FROM ops WHERE cart_items.site = :site AND cart_items.visitor_id = ops.visitor AND cart_items.item_id = ops.item_id
  AND cart_items.visitor_id IN (SELECT visitor FROM ops)`;

const CART_INSERT = `
WITH ${CART_OPS}
INSERT INTO cart_items (site, visitor_id, item_id, quantity, item, updated_at)
SELECT :site, visitor, item_id, max(floor, delta), item, ts FROM ops WHERE max(floor, delta) > 0 AND item IS NOT NULL
ON CONFLICT (site, visitor_id, item_id) DO NOTHING`;

const CART_PRUNE = `
DELETE FROM cart_items WHERE site = :site AND quantity <= 0 AND visitor_id IN (SELECT ${jsonVisitor} FROM ${JSON_ROWS})`;

/** profiles.cart mirrors cart_items (newest 50 lines), so a decision reads the cart with the profile. */
const CART_PROFILE = `
WITH t AS (SELECT ${jsonVisitor} AS visitor, max(x.value ->> '$.ts') AS ts FROM ${JSON_ROWS} GROUP BY 1)
UPDATE profiles SET
  cart = (SELECT json_group_array(json(line)) FROM (
            SELECT json_set(ci.item, '$.quantity', ci.quantity) AS line FROM cart_items ci
            WHERE ci.site = :site AND ci.visitor_id = profiles.visitor_id ORDER BY ci.updated_at DESC, ci.item_id LIMIT 50)),
  cart_value = (SELECT total((ci.item ->> '$.price') * ci.quantity) FROM cart_items ci WHERE ci.site = :site AND ci.visitor_id = profiles.visitor_id),
  cart_updated_at = ${maxOf('profiles.cart_updated_at', 't.ts')}
FROM t WHERE profiles.site = :site AND profiles.visitor_id = t.visitor`;

/** The statements for one batch, in the order they must run. */
/** `reads`: the event names a statement reads from :events ('all' for every event; `props: false`
 * when it never reads props), so it is sent only those. */
export interface ProfileStatement {
  sql: string;
  data?: unknown;
  reads?: readonly string[] | 'all';
  props?: boolean;
}

export function profileStatements(plan: BatchPlan): ProfileStatement[] {
  const has = (...names: string[]) => names.some((n) => plan.names.has(n));
  const out: ProfileStatement[] = [];
  if (plan.links.length > 0) {
    const links = plan.links;
    out.push({
      sql: `INSERT INTO identity_links (site, anon_id, user_id, linked_at)
            SELECT :site, x.value ->> '$.anon_id', x.value ->> '$.user_id', x.value ->> '$.ts' FROM ${JSON_ROWS}
            ON CONFLICT (site, anon_id) DO UPDATE SET user_id = excluded.user_id, linked_at = excluded.linked_at`,
      data: links,
    });
    for (const sql of mergeStatements()) out.push({ sql, data: links });
  }
  if ([...plan.names].some((n) => !NOT_ACTIVITY.includes(n))) out.push({ sql: PROFILE_ACTIVITY, reads: 'all', props: false });
  if (plan.sessions.length > 0) out.push({ sql: SESSIONS, data: plan.sessions });
  if (has('view_item')) out.push({ sql: PRODUCT_VIEWS, reads: ['view_item'] });
  if (has('consent_update', 'lead_submit')) out.push({ sql: CONSENT, reads: ['consent_update', 'lead_submit'] });
  if (has(...WIDGET_EVENTS)) out.push({ sql: WIDGET_STATS, reads: WIDGET_EVENTS });
  if (has(...GOAL_EVENTS)) out.push({ sql: CONVERSIONS, reads: GOAL_EVENTS });
  if (has('purchase')) for (const sql of [REPURCHASE_PAIRS, ORDER_PROFILE, ORDERS, PURCHASED_PRODUCTS, PRUNE_PAIRS, ITEM_CYCLES]) out.push({ sql, reads: ['purchase'] });
  for (const { sql, reads } of shopFactStatements(plan.names)) out.push({ sql, reads: [reads] });
  if (has('refund')) out.push({ sql: REFUND_PROFILE, reads: ['refund'] }, { sql: REFUND_ORDERS, reads: ['refund'] });
  if (has('order_delivered')) out.push({ sql: DELIVERED, reads: ['order_delivered'] });
  if (has('review_submit')) out.push({ sql: REVIEWS, reads: ['review_submit'] });
  if (plan.cartClears.length > 0) out.push({ sql: CART_CLEAR, data: plan.cartClears });
  if (plan.cartChanges.length > 0) {
    out.push({ sql: CART_UPDATE, data: plan.cartChanges }, { sql: CART_INSERT, data: plan.cartChanges });
  }
  if (plan.cartTouched.length > 0) out.push({ sql: CART_PRUNE, data: plan.cartTouched }, { sql: CART_PROFILE, data: plan.cartTouched });
  return out;
}

export const profileProcessor: StepStatements = async (db, batch) => {
  const rows: readonly BatchEventRow[] = batch.events;
  if (rows.length === 0) return [];
  const pairs = new Map<string, { anon_id: string; user_id: string }>();
  for (const e of rows) if (e.user_id) pairs.set(`${e.anon_id}\u0000${e.user_id}`, { anon_id: e.anon_id, user_id: e.user_id });
  const newLinks = new Set<string>();
  if (pairs.size > 0) {
    const { results } = await db.prepare(READ_NEW_LINKS).bind(JSON.stringify([...pairs.values()]), batch.site).all<{ anon_id: string; user_id: string }>();
    for (const l of results) newLinks.add(`${l.anon_id}\u0000${l.user_id}`);
  }
  const plan = planBatch(rows, newLinks);
  return profileStatements(plan)
    .map(({ sql, data, reads, props }) => {
      const params = { data: data === undefined ? null : JSON.stringify(data) };
      return reads ? statementFor(db, batch, reads, sql, params, { props }) : guardedStatement(db, batch, sql, params);
    })
    .filter((s): s is D1PreparedStatement => s !== null);
};
