import { guardedStatement, statementFor } from '../pipeline/guarded-statement';
import { BATCH_EVENTS, type StepStatements } from '../pipeline/batch';
import { recordedVisitorOf } from '../identity/visitor';

/** Recommendation aggregates, updated from one ingest batch inside its transaction. Purchases
 * count once per transaction id: `new_orders` keeps the first event of each order not yet in
 * `orders`, which the profile step fills after this one (edge/pipeline/steps.ts), so every
 * statement here sees the same set. */

/** Item-level activity of the batch: views, cart changes and the items of new orders. */
const ACTIVITY = `
new_orders AS MATERIALIZED (
  SELECT e.props ->> '$.transaction_id' AS tx, MIN(e.id) AS event_id
  FROM ${BATCH_EVENTS} e
  WHERE e.name = 'purchase' AND {claimed}
    AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.site = :site AND o.transaction_id = e.props ->> '$.transaction_id')
  GROUP BY 1
),
purchase_items AS MATERIALIZED (
  SELECT DISTINCT o.tx, e.ts, ${recordedVisitorOf('e')} AS visitor_id, i.value ->> '$.item_id' AS item_id, i.value ->> '$.item_category' AS category
  FROM new_orders o JOIN ${BATCH_EVENTS} e ON e.id = o.event_id JOIN jsonb_each(e.props, '$.items') i
  WHERE i.value ->> '$.item_id' IS NOT NULL
),
acts AS MATERIALIZED (
  SELECT e.name, e.ts, ${recordedVisitorOf('e')} AS visitor_id, i.value ->> '$.item_id' AS item_id,
         i.value ->> '$.item_category' AS category, COALESCE(i.value ->> '$.quantity', 1) AS qty
  FROM ${BATCH_EVENTS} e JOIN jsonb_each(e.props, '$.items') i
  WHERE e.name IN ('view_item', 'add_to_cart', 'remove_from_cart')
    AND i.value ->> '$.item_id' IS NOT NULL AND {claimed}
  UNION ALL
  SELECT 'purchase', ts, visitor_id, item_id, category, 0 FROM purchase_items
)`;

const ITEM_DAYS = `
WITH ${ACTIVITY}
INSERT INTO rec_item_days (site, day, item_id, views, carts, purchases)
SELECT :site, ts / 86400000, item_id, SUM(name = 'view_item'), SUM(name = 'add_to_cart'), SUM(name = 'purchase')
FROM acts WHERE name <> 'remove_from_cart'
GROUP BY 2, 3
ON CONFLICT (site, day, item_id) DO UPDATE SET
  views = views + excluded.views, carts = carts + excluded.carts, purchases = purchases + excluded.purchases`;

/** Events rarely carry item_category when the shop uploads its catalogue; fall back to it. */
const VISITOR_CATEGORIES = `
WITH ${ACTIVITY}
INSERT INTO rec_visitor_categories (site, visitor_id, category, weight, last_at)
SELECT :site, a.visitor_id, COALESCE(a.category, c.category),
       SUM(CASE a.name WHEN 'view_item' THEN 1 WHEN 'add_to_cart' THEN 3 WHEN 'purchase' THEN 5 ELSE 0 END), MAX(a.ts)
FROM acts a LEFT JOIN catalog c ON c.site = :site AND c.item_id = a.item_id
WHERE a.name <> 'remove_from_cart' AND COALESCE(a.category, c.category) IS NOT NULL
GROUP BY 2, 3
ON CONFLICT (site, visitor_id, category) DO UPDATE SET
  weight = weight + excluded.weight, last_at = MAX(last_at, excluded.last_at)`;

const VISITOR_ITEM_ROWS = `
WITH ${ACTIVITY}
INSERT INTO rec_visitor_items (site, visitor_id, item_id)
SELECT DISTINCT :site, visitor_id, item_id FROM acts WHERE true
ON CONFLICT (site, visitor_id, item_id) DO NOTHING`;

/** A purchase empties the bought item from the cart unless it was added again afterwards. */
const VISITOR_ITEM_UPDATE = `
WITH ${ACTIVITY},
agg AS (
  SELECT visitor_id, item_id,
         SUM(name = 'view_item') AS views,
         MAX(CASE WHEN name = 'view_item' THEN ts END) AS viewed_at,
         SUM(CASE name WHEN 'add_to_cart' THEN qty WHEN 'remove_from_cart' THEN -qty ELSE 0 END) AS cart_delta,
         MAX(CASE WHEN name IN ('add_to_cart', 'remove_from_cart') THEN ts END) AS cart_at,
         MAX(CASE WHEN name = 'add_to_cart' THEN ts END) AS added_at,
         MAX(CASE WHEN name = 'purchase' THEN ts END) AS purchased_at
  FROM acts GROUP BY visitor_id, item_id
)
UPDATE rec_visitor_items AS v SET
  views = v.views + agg.views,
  last_viewed_at = CASE WHEN agg.viewed_at IS NULL THEN v.last_viewed_at ELSE MAX(COALESCE(v.last_viewed_at, 0), agg.viewed_at) END,
  cart_qty = CASE WHEN agg.purchased_at IS NOT NULL AND (agg.added_at IS NULL OR agg.purchased_at >= agg.added_at) THEN 0
                  ELSE MAX(0, v.cart_qty + agg.cart_delta) END,
  cart_at = CASE WHEN agg.cart_at IS NULL THEN v.cart_at ELSE MAX(COALESCE(v.cart_at, 0), agg.cart_at) END,
  purchased_at = CASE WHEN agg.purchased_at IS NULL THEN v.purchased_at ELSE MAX(COALESCE(v.purchased_at, 0), agg.purchased_at) END
FROM agg
WHERE v.site = :site AND v.visitor_id = agg.visitor_id AND v.item_id = agg.item_id`;

/** Sessions that viewed more items than this stop adding pairs: crawlers, not shoppers. */
const MAX_SESSION_ITEMS = 60;

/** Pairs between each item first viewed in a session by this batch and every item that session
 * viewed before, plus pairs among this batch's new items; both directions, once per session. */
const VIEW_PAIRS = `
WITH batch_views AS MATERIALIZED (
  SELECT DISTINCT e.session_id, i.value ->> '$.item_id' AS item_id
  FROM ${BATCH_EVENTS} e JOIN jsonb_each(e.props, '$.items') i
  WHERE e.name = 'view_item' AND i.value ->> '$.item_id' IS NOT NULL AND {claimed}
),
fresh AS MATERIALIZED (
  SELECT b.session_id, b.item_id FROM batch_views b
  WHERE NOT EXISTS (SELECT 1 FROM rec_session_items s WHERE s.site = :site AND s.session_id = b.session_id AND s.item_id = b.item_id)
),
sized_sessions AS MATERIALIZED (
  SELECT session_id FROM fresh GROUP BY session_id
  HAVING COUNT(*) + (SELECT COUNT(*) FROM rec_session_items s WHERE s.site = :site AND s.session_id = fresh.session_id) <= :max_items
),
sized AS MATERIALIZED (
  SELECT session_id, item_id FROM fresh WHERE session_id IN sized_sessions
),
-- CROSS JOIN keeps the batch's few sessions as the outer loop: SQLite's planner otherwise may walk
-- every session row of the site (by the age index) and probe the batch for each, a cost that grows
-- with the table, not with the batch.
pairs AS (
  SELECT f.item_id AS a, s.item_id AS b FROM sized f CROSS JOIN rec_session_items s
  WHERE s.site = :site AND s.session_id = f.session_id
  UNION ALL
  SELECT s.item_id, f.item_id FROM sized f CROSS JOIN rec_session_items s
  WHERE s.site = :site AND s.session_id = f.session_id
  UNION ALL
  SELECT f1.item_id, f2.item_id FROM sized f1 CROSS JOIN sized f2
  WHERE f2.session_id = f1.session_id AND f2.item_id <> f1.item_id
)
INSERT INTO rec_pairs (site, kind, item_id, other_id, weight, updated_at)
SELECT :site, 'view', a, b, COUNT(*), :now FROM pairs WHERE true GROUP BY a, b
ON CONFLICT (site, kind, item_id, other_id) DO UPDATE SET weight = weight + excluded.weight, updated_at = excluded.updated_at`;

const SESSION_ITEMS = `
INSERT INTO rec_session_items (site, session_id, item_id, seen_at)
SELECT :site, e.session_id, i.value ->> '$.item_id', MAX(e.ts)
FROM ${BATCH_EVENTS} e JOIN jsonb_each(e.props, '$.items') i
WHERE e.name = 'view_item' AND i.value ->> '$.item_id' IS NOT NULL AND {claimed}
GROUP BY 2, 3
ON CONFLICT (site, session_id, item_id) DO UPDATE SET seen_at = MAX(seen_at, excluded.seen_at)`;

/** Session rows are only needed while the session can still view more items. */
const SESSION_RETENTION_MS = 12 * 60 * 60 * 1000;
const PRUNE_SESSIONS = `DELETE FROM rec_session_items WHERE site = :site AND seen_at < :before AND {claimed}`;

const BUY_PAIRS = `
WITH ${ACTIVITY}
INSERT INTO rec_pairs (site, kind, item_id, other_id, weight, updated_at)
SELECT :site, 'buy', a.item_id, b.item_id, COUNT(DISTINCT a.tx), :now
FROM purchase_items a JOIN purchase_items b ON b.tx = a.tx AND b.item_id <> a.item_id
WHERE true GROUP BY a.item_id, b.item_id
ON CONFLICT (site, kind, item_id, other_id) DO UPDATE SET weight = weight + excluded.weight, updated_at = excluded.updated_at`;


export const recommendationAggregates: StepStatements = async (db, batch) => {
  const params = { max_items: MAX_SESSION_ITEMS, before: batch.now - SESSION_RETENTION_MS };
  const activity = ['purchase', 'view_item', 'add_to_cart', 'remove_from_cart'];
  // Product events go with the props these statements read (PropsRead 'items'), not their full items.
  const statement = (names: string[], sql: string) => statementFor(db, batch, names, sql, params, { props: 'items' });
  return [
    statement(activity, ITEM_DAYS),
    statement(activity, VISITOR_CATEGORIES),
    statement(activity, VISITOR_ITEM_ROWS),
    statement(activity, VISITOR_ITEM_UPDATE),
    statement(['view_item'], VIEW_PAIRS),
    statement(['view_item'], SESSION_ITEMS),
    guardedStatement(db, batch, PRUNE_SESSIONS, params),
    statement(['purchase'], BUY_PAIRS),
  ].filter((s): s is D1PreparedStatement => s !== null);
};
