-- Lifecycle profiles and the decision engine (edge/profiles, edge/decide). Everything a
-- decision reads is kept up to date at ingest, so /v1/decide reads a handful of rows by key.

-- When the profile's marketing consent was last set; NULL means the shopper never chose, which
-- an opt-out site reads as consent and an opt-in site as none.
ALTER TABLE profiles ADD COLUMN marketing_consent_at INTEGER;
-- The longest absence (ms) since the last purchase and when it ended: a dormant customer who
-- came back is a 'wakeup' until they buy. Stored raw so stage thresholds apply at read time.
ALTER TABLE profiles ADD COLUMN return_gap_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE profiles ADD COLUMN returned_at INTEGER;

-- Per product: when the visitor bought it (nudges skip bought products) and the item as last
-- seen (name, price, image, url), for when the catalogue does not know the product.
ALTER TABLE product_views ADD COLUMN purchased_at INTEGER;
ALTER TABLE product_views ADD COLUMN item TEXT;

ALTER TABLE orders ADD COLUMN refunded_at INTEGER;

-- Where a decision was placed, for the gap between overlays and for reports.
ALTER TABLE decisions ADD COLUMN placement TEXT NOT NULL DEFAULT 'overlay'; -- 'overlay' | 'inline'
ALTER TABLE decisions ADD COLUMN slot TEXT;
ALTER TABLE decisions ADD COLUMN stage TEXT; -- the shopper's lifecycle stage when decided

-- One row per browser session: page views in the session and the campaign it came from, for
-- the page-view trigger and UTM audiences. Keyed by session so a decision reads one row.
CREATE TABLE visitor_sessions (
  site         TEXT    NOT NULL,
  session_id   TEXT    NOT NULL,
  anon_id      TEXT    NOT NULL,
  started_at   INTEGER NOT NULL,
  last_seen    INTEGER NOT NULL,
  page_views   INTEGER NOT NULL DEFAULT 0,
  landing_url  TEXT,
  utm_source   TEXT,
  utm_medium   TEXT,
  utm_campaign TEXT,
  PRIMARY KEY (site, session_id)
) WITHOUT ROWID;
CREATE INDEX visitor_sessions_by_anon ON visitor_sessions (site, anon_id);

-- The current cart per visitor, from add_to_cart / remove_from_cart, emptied by purchase.
-- profiles.cart holds the same items as JSON so a decision reads one row.
CREATE TABLE cart_items (
  site       TEXT    NOT NULL,
  visitor_id TEXT    NOT NULL,
  item_id    TEXT    NOT NULL,
  quantity   INTEGER NOT NULL,
  item       TEXT    NOT NULL, -- JSON: item_name, price, currency, image_url, url, item_variant
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (site, visitor_id, item_id)
) WITHOUT ROWID;

-- Products a visitor reviewed (review prompts skip them).
CREATE TABLE reviewed_products (
  site        TEXT    NOT NULL,
  visitor_id  TEXT    NOT NULL,
  item_id     TEXT    NOT NULL,
  rating      INTEGER,
  reviewed_at INTEGER NOT NULL,
  PRIMARY KEY (site, visitor_id, item_id)
) WITHOUT ROWID;

-- Widget history per visitor and widget: counters and the windows the caps read, so a
-- decision reads one row per widget however long the history is. An exposure is an
-- impression, or a holdout decision (which stands in for the impression it withheld).
CREATE TABLE widget_stats (
  site               TEXT    NOT NULL,
  visitor_id         TEXT    NOT NULL,
  widget             TEXT    NOT NULL,
  decisions          INTEGER NOT NULL DEFAULT 0,
  holdouts           INTEGER NOT NULL DEFAULT 0,
  impressions        INTEGER NOT NULL DEFAULT 0,
  clicks             INTEGER NOT NULL DEFAULT 0,
  dismissals         INTEGER NOT NULL DEFAULT 0,
  submits            INTEGER NOT NULL DEFAULT 0,
  conversions        INTEGER NOT NULL DEFAULT 0,
  exposures          INTEGER NOT NULL DEFAULT 0,
  last_decided_at    INTEGER,
  last_impression_at INTEGER,
  last_dismissed_at  INTEGER,
  last_converted_at  INTEGER,
  last_exposed_at    INTEGER,
  last_overlay_at    INTEGER, -- last exposure as an overlay (the site-wide gap between overlays)
  session_id         TEXT,    -- session of the last exposure, and exposures in it
  session_exposures  INTEGER NOT NULL DEFAULT 0,
  day_started_at     INTEGER, -- a 24-hour window starting at its first exposure, and exposures in it
  day_exposures      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, visitor_id, widget)
) WITHOUT ROWID;
