-- Campaigns (many per template) and the facts audiences read (issue 15).

-- A decision names its campaign; `widget` stays the template (the widget module) it used.
-- Rows from before campaigns were made by the campaign a migrated config gives the widget's name.
ALTER TABLE decisions ADD COLUMN campaign TEXT;
UPDATE decisions SET campaign = widget;

-- Shopper history, report rollups and attribution are per campaign. Their `widget` column held
-- the widget name, which is the id its migrated campaign keeps, so the rows carry on as they are.
ALTER TABLE widget_stats RENAME COLUMN widget TO campaign;
ALTER TABLE widget_stats ADD COLUMN template TEXT;
UPDATE widget_stats SET template = campaign;
ALTER TABLE report_daily RENAME COLUMN widget TO campaign;
ALTER TABLE report_daily ADD COLUMN template TEXT;
UPDATE report_daily SET template = campaign;
ALTER TABLE report_visitors RENAME COLUMN widget TO campaign;
ALTER TABLE report_visitors ADD COLUMN template TEXT;
UPDATE report_visitors SET template = campaign;
ALTER TABLE report_credits RENAME COLUMN widget TO campaign;
ALTER TABLE leads ADD COLUMN campaign TEXT;
UPDATE leads SET campaign = widget;

-- What the shop's server says of a member (POST /v1/admin/sites/:site/events), and sign-up time.
ALTER TABLE profiles ADD COLUMN signed_up_at INTEGER;
ALTER TABLE profiles ADD COLUMN points_balance REAL;
ALTER TABLE profiles ADD COLUMN points_expiring TEXT; -- JSON [{amount, expires_at}] as last sent
ALTER TABLE profiles ADD COLUMN points_updated_at INTEGER;
ALTER TABLE profiles ADD COLUMN tier TEXT;
ALTER TABLE profiles ADD COLUMN next_tier TEXT;
ALTER TABLE profiles ADD COLUMN amount_to_next_tier REAL;
ALTER TABLE profiles ADD COLUMN tier_drops_at INTEGER;
ALTER TABLE profiles ADD COLUMN tier_updated_at INTEGER;

CREATE TABLE member_coupons (
  site        TEXT    NOT NULL,
  visitor_id  TEXT    NOT NULL,
  code        TEXT    NOT NULL,
  benefit     TEXT    NOT NULL,
  expires_at  INTEGER,
  issued_at   INTEGER NOT NULL,
  redeemed_at INTEGER,
  PRIMARY KEY (site, visitor_id, code)
) WITHOUT ROWID;

-- Answers shoppers gave to surveys (`survey_answer` events); the latest per question wins.
CREATE TABLE survey_answers (
  site        TEXT    NOT NULL,
  visitor_id  TEXT    NOT NULL,
  survey      TEXT    NOT NULL,
  question    TEXT    NOT NULL,
  answers     TEXT    NOT NULL, -- JSON array of strings
  answered_at INTEGER NOT NULL,
  PRIMARY KEY (site, visitor_id, survey, question)
) WITHOUT ROWID;

-- Repurchase cycles: every repeat purchase of a product by one shopper is a pair (the gap since
-- their previous purchase of it); a product's cycle is the median gap once it has enough pairs.
CREATE TABLE item_repurchases (
  site       TEXT    NOT NULL,
  item_id    TEXT    NOT NULL,
  visitor_id TEXT    NOT NULL,
  at         INTEGER NOT NULL,
  gap_ms     INTEGER NOT NULL,
  PRIMARY KEY (site, item_id, visitor_id, at)
) WITHOUT ROWID;
CREATE TABLE item_cycles (
  site       TEXT    NOT NULL,
  item_id    TEXT    NOT NULL,
  pairs      INTEGER NOT NULL,
  median_ms  REAL    NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (site, item_id)
) WITHOUT ROWID;
-- The shop's own repurchase cycle for a product (catalogue upload), used until enough pairs are seen.
ALTER TABLE catalog ADD COLUMN replenish_days REAL;
