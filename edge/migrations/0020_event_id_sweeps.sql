-- Pruning event ids past the hot window walks each site's ids in key order, a window at a time,
-- from where the last cron run stopped: event_ids has no index by day (it would cost every event
-- ~35 bytes for the whole window), and finding old ids by `day` alone read every id of the site.
-- `after`/`next` hold ids as stored (16-byte blobs or text, no declared type: kept as given);
-- '' is before every id. `full` says whether the last window was whole (more ids may follow).
CREATE TABLE event_id_sweeps (
  site  TEXT PRIMARY KEY,
  after NOT NULL DEFAULT '',
  next,
  full  INTEGER NOT NULL DEFAULT 0
);
