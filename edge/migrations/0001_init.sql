-- Touchpoint schema. Every table is keyed by site first so one database can hold many shops
-- and a site can later move to a database of its own without changing its keys.

-- Raw events, stored exactly once per (site, id) whatever the client retries.
CREATE TABLE events (
  site        TEXT    NOT NULL,
  id          TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  ts          INTEGER NOT NULL, -- server-corrected: received_at - (sent_at - client_ts)
  client_ts   INTEGER NOT NULL, -- as the client's clock said
  received_at INTEGER NOT NULL,
  anon_id     TEXT    NOT NULL,
  user_id     TEXT,
  session_id  TEXT    NOT NULL,
  url         TEXT    NOT NULL,
  props       TEXT    NOT NULL, -- JSON object
  batch_id    TEXT    NOT NULL, -- the ingest batch that first stored this event
  PRIMARY KEY (site, id)
) WITHOUT ROWID;
-- Post-processing reads the rows one ingest batch stored.
CREATE INDEX events_by_batch ON events (batch_id);
-- A visitor's history: profile rebuilds and erasure.
CREATE INDEX events_by_visitor ON events (site, anon_id, ts);

-- One row per ingest batch that stored at least one new event. processed_at is set in the same
-- transaction that applies the batch to profiles and rollups, so each batch counts once.
CREATE TABLE ingest_batches (
  id           TEXT    PRIMARY KEY,
  site         TEXT    NOT NULL,
  received_at  INTEGER NOT NULL,
  processed_at INTEGER,
  claim        TEXT     -- token of the processor that applied it
);
CREATE INDEX ingest_batches_pending ON ingest_batches (received_at) WHERE processed_at IS NULL;

-- Identity: which anonymous ids belong to which member.
CREATE TABLE identity_links (
  site      TEXT    NOT NULL,
  anon_id   TEXT    NOT NULL,
  user_id   TEXT    NOT NULL,
  linked_at INTEGER NOT NULL,
  PRIMARY KEY (site, anon_id)
) WITHOUT ROWID;
CREATE INDEX identity_links_by_user ON identity_links (site, user_id);

-- Lifecycle profile per visitor: 'u:<user_id>' for members, 'a:<anon_id>' for guests.
CREATE TABLE profiles (
  site              TEXT    NOT NULL,
  visitor_id        TEXT    NOT NULL,
  stage             TEXT    NOT NULL DEFAULT 'prospect',
  stage_changed_at  INTEGER,
  first_seen        INTEGER NOT NULL,
  last_seen         INTEGER NOT NULL,
  sessions          INTEGER NOT NULL DEFAULT 0,
  last_session_id   TEXT,
  page_views        INTEGER NOT NULL DEFAULT 0,
  orders            INTEGER NOT NULL DEFAULT 0,
  revenue           REAL    NOT NULL DEFAULT 0,
  first_purchase_at INTEGER,
  last_purchase_at  INTEGER,
  is_member         INTEGER NOT NULL DEFAULT 0,
  marketing_consent INTEGER NOT NULL DEFAULT 0,
  cart              TEXT    NOT NULL DEFAULT '[]', -- JSON items
  cart_value        REAL    NOT NULL DEFAULT 0,
  cart_updated_at   INTEGER,
  PRIMARY KEY (site, visitor_id)
) WITHOUT ROWID;
CREATE INDEX profiles_by_stage ON profiles (site, stage);

-- Views per product per visitor (interested-product nudge, recently viewed, personal recs).
CREATE TABLE product_views (
  site           TEXT    NOT NULL,
  visitor_id     TEXT    NOT NULL,
  item_id        TEXT    NOT NULL,
  views          INTEGER NOT NULL,
  last_viewed_at INTEGER NOT NULL,
  PRIMARY KEY (site, visitor_id, item_id)
) WITHOUT ROWID;

-- Orders, once per transaction id (a purchase event resent by the shop counts once).
CREATE TABLE orders (
  site           TEXT    NOT NULL,
  transaction_id TEXT    NOT NULL,
  visitor_id     TEXT    NOT NULL,
  ts             INTEGER NOT NULL,
  value          REAL    NOT NULL,
  currency       TEXT,
  items          TEXT    NOT NULL, -- JSON
  delivered_at   INTEGER,
  PRIMARY KEY (site, transaction_id)
) WITHOUT ROWID;
CREATE INDEX orders_by_visitor ON orders (site, visitor_id, ts);

-- Every decision the edge made, shown or held out, for caps and for measurement.
CREATE TABLE decisions (
  site       TEXT    NOT NULL,
  id         TEXT    NOT NULL,
  visitor_id TEXT    NOT NULL,
  widget     TEXT    NOT NULL,
  variant    TEXT    NOT NULL,
  holdout    INTEGER NOT NULL,
  session_id TEXT    NOT NULL,
  ts         INTEGER NOT NULL,
  PRIMARY KEY (site, id)
) WITHOUT ROWID;
CREATE INDEX decisions_by_visitor ON decisions (site, visitor_id, widget, ts);

-- The product catalogue: built from view_item items, or uploaded by the shop.
CREATE TABLE catalog (
  site       TEXT    NOT NULL,
  item_id    TEXT    NOT NULL,
  name       TEXT,
  price      REAL,
  currency   TEXT,
  image_url  TEXT,
  url        TEXT,
  category   TEXT,
  brand      TEXT,
  uploaded   INTEGER NOT NULL DEFAULT 0, -- uploaded rows are not overwritten by what browsers report
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (site, item_id)
) WITHOUT ROWID;
