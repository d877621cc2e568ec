-- Attributed purchase revenue per order and report row, so that a refund takes back what that
-- order added to the report (report_daily.revenue of the cohort day, report_visitors.revenue).
CREATE TABLE report_credits (
  site           TEXT    NOT NULL,
  transaction_id TEXT    NOT NULL,
  visitor_id     TEXT    NOT NULL,
  widget         TEXT    NOT NULL,
  variant        TEXT    NOT NULL,
  holdout        INTEGER NOT NULL,
  cohort_day     INTEGER NOT NULL,
  value          REAL    NOT NULL,
  refunded_at    INTEGER, -- set once the refund was taken off
  PRIMARY KEY (site, transaction_id, widget, variant, holdout)
) WITHOUT ROWID;
