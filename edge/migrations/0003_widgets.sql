-- Widgets: catalogue extras, recommendation aggregates, leads and reviews.
-- Every aggregate is updated at ingest from one batch's events (edge/recs/ingest.ts), so a
-- recommendation reads a few index ranges and never scans raw events.

-- Sold-out or withdrawn items stay in the catalogue but are never recommended.
ALTER TABLE catalog ADD COLUMN available INTEGER NOT NULL DEFAULT 1;
CREATE INDEX catalog_by_category ON catalog (site, category);
CREATE INDEX catalog_by_updated ON catalog (site, updated_at);

-- Items viewed per session, so each co-viewed pair counts once per session. Rows older than
-- a few hours are pruned at ingest (a session is long over by then).
CREATE TABLE rec_session_items (
  site       TEXT    NOT NULL,
  session_id TEXT    NOT NULL,
  item_id    TEXT    NOT NULL,
  seen_at    INTEGER NOT NULL,
  PRIMARY KEY (site, session_id, item_id)
) WITHOUT ROWID;
CREATE INDEX rec_session_items_by_age ON rec_session_items (site, seen_at);

-- Item pairs, both directions: kind 'view' (viewed in one session) or 'buy' (bought in one order).
CREATE TABLE rec_pairs (
  site       TEXT    NOT NULL,
  kind       TEXT    NOT NULL,
  item_id    TEXT    NOT NULL,
  other_id   TEXT    NOT NULL,
  weight     INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (site, kind, item_id, other_id)
) WITHOUT ROWID;
CREATE INDEX rec_pairs_top ON rec_pairs (site, kind, item_id, weight DESC);

-- Orders already counted in the aggregates: a purchase resent under a new event id counts once.
CREATE TABLE rec_orders (
  site           TEXT NOT NULL,
  transaction_id TEXT NOT NULL,
  PRIMARY KEY (site, transaction_id)
) WITHOUT ROWID;

-- Activity per item per UTC day (day = floor(ts / 86400000)): trending.
CREATE TABLE rec_item_days (
  site      TEXT    NOT NULL,
  day       INTEGER NOT NULL,
  item_id   TEXT    NOT NULL,
  views     INTEGER NOT NULL DEFAULT 0,
  carts     INTEGER NOT NULL DEFAULT 0,
  purchases INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day, item_id)
) WITHOUT ROWID;
-- One item's recent days (personal picks rank a category's items by them).
CREATE INDEX rec_item_days_by_item ON rec_item_days (site, item_id, day);

-- Per visitor ('u:<user_id>' or 'a:<anon_id>') and item: recently viewed, cart and bought exclusions.
CREATE TABLE rec_visitor_items (
  site           TEXT    NOT NULL,
  visitor_id     TEXT    NOT NULL,
  item_id        TEXT    NOT NULL,
  views          INTEGER NOT NULL DEFAULT 0,
  last_viewed_at INTEGER,
  cart_qty       INTEGER NOT NULL DEFAULT 0,
  cart_at        INTEGER,
  purchased_at   INTEGER,
  PRIMARY KEY (site, visitor_id, item_id)
) WITHOUT ROWID;
CREATE INDEX rec_visitor_items_recent ON rec_visitor_items (site, visitor_id, last_viewed_at DESC);

-- Per visitor and category, weighted by views (1), adds to cart (3) and purchases (5): personal.
CREATE TABLE rec_visitor_categories (
  site       TEXT    NOT NULL,
  visitor_id TEXT    NOT NULL,
  category   TEXT    NOT NULL,
  weight     INTEGER NOT NULL,
  last_at    INTEGER NOT NULL,
  PRIMARY KEY (site, visitor_id, category)
) WITHOUT ROWID;

-- Emails captured by widgets (lead_submit), one row per address; the latest consent wins and
-- consent_at says when it last changed.
CREATE TABLE leads (
  site              TEXT    NOT NULL,
  email             TEXT    NOT NULL,
  visitor_id        TEXT    NOT NULL,
  anon_id           TEXT    NOT NULL,
  user_id           TEXT,
  marketing_consent INTEGER NOT NULL,
  consent_at        INTEGER NOT NULL,
  decision_id       TEXT,
  widget            TEXT,
  url               TEXT    NOT NULL,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  event_id          TEXT    NOT NULL,
  PRIMARY KEY (site, email)
) WITHOUT ROWID;
CREATE INDEX leads_by_created ON leads (site, created_at, email);

-- Product reviews (review_submit), one per visitor and item; a later one replaces it.
-- webhook_state: 'pending' until delivered ('sent'), given up ('failed'), or no webhook ('none').
CREATE TABLE reviews (
  site             TEXT    NOT NULL,
  visitor_id       TEXT    NOT NULL,
  item_id          TEXT    NOT NULL,
  item_name        TEXT,
  rating           INTEGER NOT NULL,
  text             TEXT,
  transaction_id   TEXT,
  verified         INTEGER NOT NULL DEFAULT 0, -- the visitor bought the item (as far as events tell)
  decision_id      TEXT,
  anon_id          TEXT    NOT NULL,
  user_id          TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  event_id         TEXT    NOT NULL,
  webhook_state    TEXT    NOT NULL DEFAULT 'pending',
  webhook_attempts INTEGER NOT NULL DEFAULT 0,
  webhook_next_at  INTEGER NOT NULL DEFAULT 0,
  webhook_claim    TEXT,
  webhook_error    TEXT,
  PRIMARY KEY (site, visitor_id, item_id)
) WITHOUT ROWID;
CREATE INDEX reviews_by_created ON reviews (site, created_at, visitor_id, item_id);
CREATE INDEX reviews_by_item ON reviews (site, item_id);
CREATE INDEX reviews_webhook_pending ON reviews (webhook_next_at) WHERE webhook_state = 'pending';
