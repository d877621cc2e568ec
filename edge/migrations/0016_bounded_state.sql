-- A year of a shop in D1 under 8 GB (README, "The event archive", "Storage per event"): what grew
-- with every event now leaves D1 once the site's hot window has passed (edge/archive/prune-state.ts).

-- Decision records are read only while their widget events can still arrive (leads, widget
-- stats, report rollups join them by id) and by the reviews export. They leave after the hot
-- window, so the cron finds them by time; a review keeps its campaign itself.
CREATE INDEX decisions_by_time ON decisions (site, ts);
ALTER TABLE reviews ADD COLUMN campaign TEXT;
UPDATE reviews SET campaign = (SELECT d.campaign FROM decisions d WHERE d.site = reviews.site AND d.id = reviews.decision_id)
WHERE decision_id IS NOT NULL;

-- Excluded events (the traffic filter) leave after the hot window, counted first into a rollup
-- per site, local day and reason, so the report's "left out of the data" still covers a year.
CREATE TABLE excluded_daily (
  site   TEXT    NOT NULL,
  day    INTEGER NOT NULL, -- the site's local day (site-time's numbering)
  reason TEXT    NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY (site, day, reason)
) WITHOUT ROWID;

-- Sessions leave after the hot window (decide reads only the current one; a late event is at
-- most 30 days old), found by their start: a session lasts minutes, and started_at never moves
-- forward (last_seen would move the index entry on every event).
CREATE INDEX visitor_sessions_by_start ON visitor_sessions (site, started_at);

-- Orders keep of their items only what reads them: the review prompt's item ids (name, image and
-- link come from the catalogue, else from the shopper's product_views row the purchase wrote),
-- a few percent of the GA4 item JSON. Orders stay for good.
UPDATE orders SET items = (
  SELECT json_group_array(j.value ->> '$.item_id') FROM json_each(orders.items) j WHERE j.value ->> '$.item_id' IS NOT NULL);

-- What no query reads (EXPLAIN QUERY PLAN): every read of rec_visitor_items groups a shopper's
-- rows by item (the primary key serves it); rec_pairs' primary key already holds the weight; a
-- session's landing URL was never read. New orders are told apart by their absence from
-- `orders` (the recommendation step runs before profiles add them), as the report's are.
DROP INDEX IF EXISTS rec_visitor_items_recent;
DROP INDEX IF EXISTS rec_pairs_top;
DROP TABLE IF EXISTS rec_orders;
ALTER TABLE visitor_sessions DROP COLUMN landing_url;

-- Event ids that are lowercase UUIDs are kept as their 16 bytes (edge/store/event-id-key.ts):
-- dedupe holds every id of the hot window, and the text was most of event_ids.
UPDATE event_ids SET id = unhex(replace(id, '-', ''))
WHERE length(id) = 36 AND id = lower(id) AND substr(id, 9, 1) = '-' AND substr(id, 14, 1) = '-' AND substr(id, 19, 1) = '-'
  AND substr(id, 24, 1) = '-' AND length(replace(id, '-', '')) = 32 AND unhex(replace(id, '-', '')) IS NOT NULL;
