-- Events the floor stores: each once by id, nothing else.
CREATE TABLE floor_events (
  site TEXT NOT NULL,
  id TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (site, id)
) WITHOUT ROWID;
