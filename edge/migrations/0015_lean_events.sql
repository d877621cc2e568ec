-- Fewer bytes per event (README, "Storage per event"). No query plan uses these indexes any more:
-- the pipeline is handed its events in memory (the sweep finds a lost batch's rows through
-- events_by_arrival, by its received_at), erasure scans the site's hot rows by anon_id OR user_id
-- (user_id has no index, so the planner never used events_by_visitor for it), and no query reads
-- profiles by stage.
DROP INDEX IF EXISTS events_by_batch;
DROP INDEX IF EXISTS events_by_visitor;
DROP INDEX IF EXISTS profiles_by_stage;

-- Archived days keep only what dedupe and erasure need (id, who, when) for the rest of the hot
-- window: their url, session and props are emptied once the day is in R2 and applied.
ALTER TABLE archive_days ADD COLUMN slimmed_at INTEGER;
