-- Reports (edge/report): rollups kept at decision time and at ingest, so a report over any
-- period reads a few hundred counter rows and never scans events or decisions.

-- Counters per UTC day (day = floor(ts / 86400000)), widget, variant and group (holdout 0/1).
-- visitors, conversions and revenue are cohort counters: a visitor counts on the day of their
-- first decision for this widget+variant+group, and so do their attributed conversions and
-- revenue, whenever those arrive. decisions, impressions, clicks, dismissals and submits count
-- on the day they happened.
CREATE TABLE report_daily (
  site        TEXT    NOT NULL,
  day         INTEGER NOT NULL,
  widget      TEXT    NOT NULL,
  variant     TEXT    NOT NULL,
  holdout     INTEGER NOT NULL,
  decisions   INTEGER NOT NULL DEFAULT 0,
  visitors    INTEGER NOT NULL DEFAULT 0,
  impressions INTEGER NOT NULL DEFAULT 0,
  clicks      INTEGER NOT NULL DEFAULT 0,
  dismissals  INTEGER NOT NULL DEFAULT 0,
  submits     INTEGER NOT NULL DEFAULT 0,
  conversions INTEGER NOT NULL DEFAULT 0, -- visitors of the cohort with at least one attributed conversion
  revenue     REAL    NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day, widget, variant, holdout)
) WITHOUT ROWID;

-- Attribution state per visitor id (as the decision recorded it: 'a:' or 'u:'), widget, variant
-- and group. The windows are the ones configured when the visitor was last decided for.
-- last_exposed_at: the last impression, or for the holdout group the last decision (which
-- stands in for the impression it withheld).
CREATE TABLE report_visitors (
  site             TEXT    NOT NULL,
  visitor_id       TEXT    NOT NULL,
  widget           TEXT    NOT NULL,
  variant          TEXT    NOT NULL,
  holdout          INTEGER NOT NULL,
  cohort_day       INTEGER NOT NULL,
  first_decided_at INTEGER NOT NULL,
  last_decided_at  INTEGER NOT NULL,
  last_exposed_at  INTEGER,
  prev_exposed_at  INTEGER, -- the exposure before the last: a decision recorded just after a conversion does not hide the one before it
  last_click_at    INTEGER,
  click_window_ms  INTEGER NOT NULL,
  view_window_ms   INTEGER NOT NULL,
  conversions      INTEGER NOT NULL DEFAULT 0,
  revenue          REAL    NOT NULL DEFAULT 0,
  converted_at     INTEGER, -- first attributed conversion
  PRIMARY KEY (site, visitor_id, widget, variant, holdout)
) WITHOUT ROWID;

-- Stage funnel: the stage last counted for a profile, and every move between stages.
ALTER TABLE profiles ADD COLUMN report_stage TEXT; -- NULL: never counted, read as 'prospect'
CREATE TABLE stage_moves (
  site       TEXT    NOT NULL,
  ts         INTEGER NOT NULL,
  visitor_id TEXT    NOT NULL,
  from_stage TEXT    NOT NULL,
  to_stage   TEXT    NOT NULL
);
CREATE INDEX stage_moves_by_time ON stage_moves (site, ts);
