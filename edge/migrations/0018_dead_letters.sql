-- Queue mode (README, "Ingest through Cloudflare Queues"): ingest messages the consumer could not
-- store, parked with why, until an operator replays them (POST /v1/admin/sites/:site/dead-letters/replay).
CREATE TABLE dead_letters (
  id INTEGER PRIMARY KEY,
  -- The queue's own message id: a message delivered to the parking step twice is parked once.
  message_id TEXT NOT NULL UNIQUE,
  -- The message's site when it names one (NULL for a body too broken to say).
  site TEXT,
  reason TEXT NOT NULL,
  -- The message body as JSON text, exactly as it was delivered.
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  -- When the queue received the message (its timestamp), and when it was parked here (ms).
  received_at INTEGER NOT NULL,
  parked_at INTEGER NOT NULL
);
CREATE INDEX dead_letters_by_site ON dead_letters (site, id);
