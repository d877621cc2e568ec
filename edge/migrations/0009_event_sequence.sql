-- The browser's own count of its events (SDK `seq`): ingest applies a browser's events in this
-- order, since timestamps tie (pushes made before sdk.js loaded, back-to-back pushes).
ALTER TABLE events ADD COLUMN seq INTEGER;

-- What a purchase carried beside its revenue (orders.value is the items total).
ALTER TABLE orders ADD COLUMN shipping REAL;
ALTER TABLE orders ADD COLUMN tax REAL;

-- Fields the collector had to drop to store an event (a shop's tagging to correct),
-- counted per site, event name, field and fix. Seen in GET /v1/admin/sites/:site/tagging.
CREATE TABLE tagging_issues (
  site       TEXT    NOT NULL,
  event_name TEXT    NOT NULL,
  field      TEXT    NOT NULL, -- e.g. items[].image_url
  fix        TEXT    NOT NULL, -- dropped (normalising what GA4 tolerates is not counted)
  message    TEXT    NOT NULL, -- what the contract said about the value
  count      INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL,
  PRIMARY KEY (site, event_name, field, fix)
) WITHOUT ROWID;
