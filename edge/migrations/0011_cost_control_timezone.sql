-- Issue 17: cost and return per campaign, a store-wide control group, days in the shop's time zone.

-- Per-visitor revenue variance for the incremental-revenue interval: the sum over a cohort's
-- visitors of (their attributed revenue)^2, kept beside `revenue`.
ALTER TABLE report_daily ADD COLUMN revenue_sq REAL NOT NULL DEFAULT 0;

-- Partial refunds: how much of each credit has been taken back so far (refunded_at is set once
-- all of it has).
ALTER TABLE report_credits ADD COLUMN refunded REAL NOT NULL DEFAULT 0;
UPDATE report_credits SET refunded = value WHERE refunded_at IS NOT NULL;

-- Benefit codes used by purchases (GA4 `coupon` at order or item level) and the discount given,
-- per order and code. The report matches codes to campaigns with the config it reads.
CREATE TABLE report_redemptions (
  site           TEXT    NOT NULL,
  transaction_id TEXT    NOT NULL,
  code           TEXT    NOT NULL, -- lower case
  ts             INTEGER NOT NULL,
  discount       REAL    NOT NULL DEFAULT 0,
  PRIMARY KEY (site, transaction_id, code)
) WITHOUT ROWID;
CREATE INDEX report_redemptions_by_time ON report_redemptions (site, ts);

-- The store-wide control group: one row per visitor id, written at the shopper's first decision
-- (edge/decide/control-group.ts). A member's row is taken from the device's anonymous row when
-- the member has none, so the group holds across devices once they log in. orders and revenue
-- are the shopper's purchases since (cohort counters, as in report_visitors).
CREATE TABLE control_group (
  site        TEXT    NOT NULL,
  visitor_id  TEXT    NOT NULL,
  in_control  INTEGER NOT NULL,
  cohort_day  INTEGER NOT NULL, -- local day of the site when first assigned
  assigned_at INTEGER NOT NULL,
  orders      INTEGER NOT NULL DEFAULT 0,
  revenue     REAL    NOT NULL DEFAULT 0,
  PRIMARY KEY (site, visitor_id)
) WITHOUT ROWID;

-- Per cohort day and group: shoppers first assigned that day, how many of them bought, bought
-- again, their revenue and its sum of per-shopper squares.
CREATE TABLE control_daily (
  site          TEXT    NOT NULL,
  day           INTEGER NOT NULL,
  in_control    INTEGER NOT NULL,
  shoppers      INTEGER NOT NULL DEFAULT 0,
  buyers        INTEGER NOT NULL DEFAULT 0,
  repeat_buyers INTEGER NOT NULL DEFAULT 0,
  revenue       REAL    NOT NULL DEFAULT 0,
  revenue_sq    REAL    NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day, in_control)
) WITHOUT ROWID;

-- The site's time zone, mirrored from its settings (KV) when they are saved, for ingest, which
-- reads D1 only: event-time report counters and "per day" caps fall on the shop's local day.
-- offset_ms is the zone's UTC offset, set when the settings are saved and refreshed by each
-- ingest batch (so daylight saving reaches SQL that cannot call Intl).
CREATE TABLE site_clocks (
  site      TEXT PRIMARY KEY,
  timezone  TEXT NOT NULL,
  offset_ms INTEGER NOT NULL
) WITHOUT ROWID;
