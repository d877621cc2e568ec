-- Every message Touchpoint hands to the shop's own systems (hand-off audiences, reviews) waits here
-- until the shop's webhook has taken it: retried with backoff, in order per shopper, listed in a
-- delivery log and replayable. The id is the Standard Webhooks `webhook-id`, the same on every retry
-- and replay, so a receiver dedupes on it.
CREATE TABLE webhook_deliveries (
  site TEXT NOT NULL,
  id TEXT NOT NULL,
  -- Creation order within the site: a shopper's deliveries are sent in this order.
  seq INTEGER NOT NULL,
  -- What it is: a hand-off id, or 'review'.
  topic TEXT NOT NULL,
  -- Whose it is (profile key); one shopper's deliveries never overtake each other.
  shopper TEXT NOT NULL,
  body TEXT NOT NULL,
  -- 1: advertising (needs marketing consent, never sent in the site's quiet hours).
  advertising INTEGER NOT NULL DEFAULT 0,
  -- pending | sent | failed (gave up; replayable)
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  last_status INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  claim TEXT,
  PRIMARY KEY (site, id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (site, shopper, seq) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (site, seq);
