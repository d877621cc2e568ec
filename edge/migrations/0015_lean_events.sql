-- Fewer bytes per event (README, "Storage per event").
--
-- Full event rows live in D1 only until their day is archived to R2 and applied; the ids stay for
-- the site's hot window so dedupe stays exact. The events table is keyed by arrival, so a day is a
-- contiguous run of pages: archiving reads it in order, and deleting it frees whole pages (a
-- table keyed by a random UUID leaves every page part-empty). The sweep finds a lost batch's rows
-- by its site and received_at, the key's prefix, so events_by_batch goes; events_by_visitor and
-- profiles_by_stage served no query plan (erasure matches anon_id OR user_id, and user_id has no
-- index, so the planner scanned anyway; nothing reads profiles by stage).
DROP INDEX IF EXISTS profiles_by_stage;

CREATE TABLE events_by_arrival (
  site        TEXT    NOT NULL,
  received_at INTEGER NOT NULL,
  id          TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  ts          INTEGER NOT NULL,
  client_ts   INTEGER NOT NULL,
  anon_id     TEXT    NOT NULL,
  user_id     TEXT,
  session_id  TEXT    NOT NULL,
  url         TEXT    NOT NULL,
  props       TEXT    NOT NULL,
  batch_id    TEXT    NOT NULL,
  seq         INTEGER,
  PRIMARY KEY (site, received_at, id)
) WITHOUT ROWID;
INSERT INTO events_by_arrival (site, received_at, id, name, ts, client_ts, anon_id, user_id, session_id, url, props, batch_id, seq)
  SELECT site, received_at, id, name, ts, client_ts, anon_id, user_id, session_id, url, props, batch_id, seq FROM events;

-- Dedupe: every event id the collector stored, for the hot window (day: UTC day number of arrival).
CREATE TABLE event_ids (
  site TEXT    NOT NULL,
  id   TEXT    NOT NULL,
  day  INTEGER NOT NULL,
  PRIMARY KEY (site, id)
) WITHOUT ROWID;
INSERT INTO event_ids (site, id, day) SELECT site, id, received_at / 86400000 FROM events;

-- What the referral rules (edge/referrals/credit.ts) read of a browser's past, which the events
-- table no longer holds for long: every member a browser has sent events as (identity_links keeps
-- only the latest), and when the browser first ordered (orders move to the member once it signs in).
CREATE TABLE referral_browser_members (
  site    TEXT NOT NULL,
  anon_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  PRIMARY KEY (site, anon_id, user_id)
) WITHOUT ROWID;
INSERT INTO referral_browser_members (site, anon_id, user_id)
  SELECT DISTINCT site, anon_id, user_id FROM events WHERE user_id IS NOT NULL;
CREATE TABLE referral_browser_orders (
  site           TEXT    NOT NULL,
  anon_id        TEXT    NOT NULL,
  first_order_at INTEGER NOT NULL,
  PRIMARY KEY (site, anon_id)
) WITHOUT ROWID;
INSERT INTO referral_browser_orders (site, anon_id, first_order_at)
  SELECT site, anon_id, min(ts) FROM events WHERE name = 'purchase' GROUP BY site, anon_id;

DROP TABLE events;
ALTER TABLE events_by_arrival RENAME TO events;
