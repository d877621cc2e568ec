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

-- Hand-offs (edge/handoff/sweep.ts): who entered each hand-off's audience when, and in which
-- group: 'sent' (a delivery was queued), 'holdout' (measured, not sent), 'control' (the site's
-- store-wide control group), 'no_consent' (advertising without marketing consent), 'capped' (the
-- per-member cap across hand-offs was reached). One row per member and moment, so a sweep that
-- runs twice over the same minutes hands nothing off twice.
CREATE TABLE handoff_members (
  site       TEXT    NOT NULL,
  handoff    TEXT    NOT NULL,
  visitor_id TEXT    NOT NULL,
  moment_at  INTEGER NOT NULL,
  grp        TEXT    NOT NULL,
  delivery_id TEXT,
  PRIMARY KEY (site, handoff, visitor_id, moment_at)
) WITHOUT ROWID;
CREATE INDEX handoff_members_by_visitor ON handoff_members (site, visitor_id, moment_at);

-- How far each hand-off's sweep has looked (moments up to this time have been handed off).
CREATE TABLE handoff_cursors (
  site      TEXT    NOT NULL,
  handoff   TEXT    NOT NULL,
  swept_to  INTEGER NOT NULL,
  PRIMARY KEY (site, handoff)
) WITHOUT ROWID;

-- The sweeps find moments by time: members with a cart, by when it last changed; customers, by
-- their last order; members, by when they were last seen.
CREATE INDEX profiles_cart_moments ON profiles (site, cart_updated_at) WHERE cart_value > 0;
CREATE INDEX profiles_order_moments ON profiles (site, last_purchase_at) WHERE orders > 0;
CREATE INDEX profiles_seen_moments ON profiles (site, last_seen) WHERE visitor_id >= 'u:' AND visitor_id < 'u;';
CREATE INDEX member_coupons_expiry ON member_coupons (site, expires_at) WHERE redeemed_at IS NULL;
