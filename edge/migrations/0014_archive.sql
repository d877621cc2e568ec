-- The event log leaves D1 for the R2 archive (`ARCHIVE`, edge/archive/): D1 keeps a hot window
-- per site (site setting hot_window_days), the archive keeps every event for good.

-- One row per archive object: written only after the object is in R2 and verified, so the
-- manifest never names an object that is not there. (last_received_at, last_id) is where the
-- next part of the site's log starts: a part rebuilt after a crash covers the same rows and
-- overwrites the same key, so nothing is archived twice.
CREATE TABLE archive_parts (
  site             TEXT    NOT NULL,
  day              TEXT    NOT NULL, -- YYYY-MM-DD, the UTC day the collector received the events
  part             INTEGER NOT NULL,
  r2_key           TEXT    NOT NULL,
  events           INTEGER NOT NULL,
  bytes            INTEGER NOT NULL,
  last_received_at INTEGER NOT NULL,
  last_id          TEXT    NOT NULL,
  created_at       INTEGER NOT NULL,
  PRIMARY KEY (site, day, part)
) WITHOUT ROWID;

-- A day is complete once every event received on it is in its parts; only complete days whose
-- batches are all applied lose their rows in D1 (pruned_at).
CREATE TABLE archive_days (
  site        TEXT    NOT NULL,
  day         TEXT    NOT NULL,
  complete_at INTEGER NOT NULL,
  pruned_at   INTEGER,
  PRIMARY KEY (site, day)
) WITHOUT ROWID;

-- Erasures still to be carried into archived objects: the cron rewrites each part of the site
-- that holds the shopper (cursor: the last part done), a few parts a run, then deletes the row.
CREATE TABLE archive_erasures (
  id           INTEGER PRIMARY KEY,
  site         TEXT    NOT NULL,
  anon_ids     TEXT    NOT NULL, -- JSON array
  user_ids     TEXT    NOT NULL, -- JSON array
  requested_at INTEGER NOT NULL,
  done_day     TEXT    NOT NULL DEFAULT '',
  done_part    INTEGER NOT NULL DEFAULT -1
);
CREATE INDEX archive_erasures_by_site ON archive_erasures (site);

-- One archive worker per site at a time (cron runs may overlap): archiving a part and rewriting
-- parts for an erasure never interleave, so an erasure never misses a part being written.
CREATE TABLE archive_leases (
  site   TEXT    PRIMARY KEY,
  holder TEXT    NOT NULL,
  until  INTEGER NOT NULL
) WITHOUT ROWID;
