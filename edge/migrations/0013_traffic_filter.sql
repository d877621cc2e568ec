-- Issue 19: known bots, automated browsers, shop staff and test browsers are kept out of profiles,
-- recommendations and reports (edge/ingest/traffic-filter.ts). Their events are kept here instead
-- of in `events`, so no processor ever reads them, and are counted by reason for the report.
-- The primary key makes a resent excluded event count once, as `events` does for the rest.
CREATE TABLE excluded_events (
  site    TEXT    NOT NULL,
  id      TEXT    NOT NULL,
  reason  TEXT    NOT NULL, -- bot_user_agent | cloudflare_bot | webdriver | staff | test_browser
  ts      INTEGER NOT NULL,
  anon_id TEXT    NOT NULL,
  name    TEXT    NOT NULL,
  PRIMARY KEY (site, id)
) WITHOUT ROWID;
CREATE INDEX excluded_events_by_time ON excluded_events (site, ts);

-- Browsers flagged as test traffic: a page opened with ?tp_test=1 flags its browser (its anonymous
-- id) until a page opened with ?tp_test=0.
CREATE TABLE test_browsers (
  site    TEXT    NOT NULL,
  anon_id TEXT    NOT NULL,
  since   INTEGER NOT NULL,
  PRIMARY KEY (site, anon_id)
) WITHOUT ROWID;
