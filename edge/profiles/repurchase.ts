import { DAY_MS } from '../lib/time';
import { events } from './sql';

/** Learns products' repurchase cycles from purchases (edge/decide/repurchase.ts reads them).
 * A purchase of a product the same shopper bought before adds one pair (the gap since that
 * purchase, at least half a day: a split order is not a repurchase) to item_repurchases; then the
 * cycle of every product the batch bought is the median of its latest PAIRS_KEPT pairs (the mean of
 * the two middle ones for an even count), which one odd gap cannot move. Older pairs are deleted
 * as newer ones come, so a product bought for years costs each of its purchases the same, and its
 * cycle follows how it is bought now. Parameters: :site, :events. */

/** Repeat purchases a product's cycle is the median of (odd: one middle gap). */
export const PAIRS_KEPT = 201;

const BOUGHT = `${events("e.name = 'purchase'")},
bought AS (
  SELECT ev.visitor, j.value ->> '$.item_id' AS item_id, min(ev.ts) AS ts
  FROM ev, jsonb_each(ev.props, '$.items') j
  WHERE j.value ->> '$.item_id' IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.site = :site AND o.transaction_id = (ev.props ->> '$.transaction_id'))
  GROUP BY 1, 2)`;

/** Runs before the batch's orders and purchased products are written: the previous purchase is
 * the one product_views still holds, and a resent purchase (its order known) adds nothing. */
export const REPURCHASE_PAIRS = `
WITH ${BOUGHT}
INSERT INTO item_repurchases (site, item_id, visitor_id, at, gap_ms)
SELECT :site, b.item_id, b.visitor, b.ts, b.ts - v.purchased_at
FROM bought b JOIN product_views v ON v.site = :site AND v.visitor_id = b.visitor AND v.item_id = b.item_id
WHERE v.purchased_at IS NOT NULL AND b.ts - v.purchased_at >= ${DAY_MS / 2}
ON CONFLICT DO NOTHING`;

const TOUCHED = `touched AS (SELECT DISTINCT j.value ->> '$.item_id' AS item_id FROM ev, jsonb_each(ev.props, '$.items') j)`;

/** Runs after REPURCHASE_PAIRS and before ITEM_CYCLES: each bought product keeps its latest
 * PAIRS_KEPT pairs (by the repeat purchase's time). */
export const PRUNE_PAIRS = `
WITH ${events("e.name = 'purchase'")}, ${TOUCHED},
ranked AS (
  SELECT r.item_id, r.visitor_id, r.at, row_number() OVER (PARTITION BY r.item_id ORDER BY r.at DESC, r.visitor_id) AS latest
  FROM item_repurchases r WHERE r.site = :site AND r.item_id IN (SELECT item_id FROM touched))
DELETE FROM item_repurchases
WHERE site = :site AND (item_id, visitor_id, at) IN (SELECT item_id, visitor_id, at FROM ranked WHERE latest > ${PAIRS_KEPT})`;

export const ITEM_CYCLES = `
WITH ${events("e.name = 'purchase'")}, ${TOUCHED},
g AS (
  SELECT r.item_id, r.gap_ms, row_number() OVER (PARTITION BY r.item_id ORDER BY r.gap_ms) AS rn, count(*) OVER (PARTITION BY r.item_id) AS n
  FROM item_repurchases r WHERE r.site = :site AND r.item_id IN (SELECT item_id FROM touched))
INSERT INTO item_cycles (site, item_id, pairs, median_ms, updated_at)
SELECT :site, item_id, max(n), avg(gap_ms), (SELECT max(ts) FROM ev) FROM g WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY item_id
ON CONFLICT (site, item_id) DO UPDATE SET pairs = excluded.pairs, median_ms = excluded.median_ms, updated_at = excluded.updated_at`;
