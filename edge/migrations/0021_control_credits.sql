-- Which control-group row each order's revenue went to (the shopper row the purchase was credited
-- to), so a refund takes it back from that row and its cohort day, as report_credits does for
-- campaigns. Orders credited before this migration have no entry: their refunds stay counted.
CREATE TABLE control_credits (
  site           TEXT    NOT NULL,
  transaction_id TEXT    NOT NULL,
  visitor_id     TEXT    NOT NULL,
  value          REAL    NOT NULL,
  refunded       REAL    NOT NULL DEFAULT 0,
  PRIMARY KEY (site, transaction_id)
) WITHOUT ROWID;
