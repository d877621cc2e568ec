-- Under load, several small ingest batches of one site are folded into one before processing,
-- so the processors' statements run once for all of them instead of once per request.
-- A folded batch is marked processed and names the batch it was folded into.
ALTER TABLE ingest_batches ADD COLUMN merged_into TEXT;
CREATE INDEX ingest_batches_by_fold ON ingest_batches (merged_into) WHERE merged_into IS NOT NULL;
