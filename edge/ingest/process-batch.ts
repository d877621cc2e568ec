/** After a batch of new events is durable, it is applied to profiles and rollups. That work runs
 * in waitUntil (the response does not wait), and a cron sweep retries any batch whose processing
 * did not finish, so nothing is lost. Exactly once comes from a claim token: the first statement
 * of the transaction claims the batch, and every processor statement is guarded by that claim,
 * so a second processor racing for the same batch changes nothing. */

export interface BatchToProcess {
  id: string;
  site: string;
  /** SQL condition true only while this processor holds the claim; bind `claimParams`. */
  claimed: string;
  claimParams: readonly [string, string];
  now: number;
}

/** Returns the statements that apply one batch; each must include `batch.claimed` in its WHERE. */
export type BatchProcessor = (db: D1Database, batch: BatchToProcess) => Promise<D1PreparedStatement[]>;

const processors: BatchProcessor[] = [];

export function registerBatchProcessor(processor: BatchProcessor): void {
  processors.push(processor);
}

export async function processBatch(db: D1Database, batchId: string, site: string, now = Date.now()): Promise<boolean> {
  const token = crypto.randomUUID();
  const batch: BatchToProcess = {
    id: batchId,
    site,
    claimed: 'EXISTS (SELECT 1 FROM ingest_batches WHERE id = ? AND claim = ?)',
    claimParams: [batchId, token],
    now,
  };
  const work = (await Promise.all(processors.map((p) => p(db, batch)))).flat();
  const [claim] = await db.batch([
    db.prepare('UPDATE ingest_batches SET processed_at = ?, claim = ? WHERE id = ? AND processed_at IS NULL').bind(now, token, batchId),
    ...work,
  ]);
  return (claim?.meta.changes ?? 0) > 0;
}

/** Batches older than this without processed_at are taken to have lost their waitUntil. */
const SWEEP_AFTER_MS = 30_000;

export async function sweepPendingBatches(db: D1Database, now = Date.now(), limit = 100): Promise<number> {
  const { results } = await db
    .prepare('SELECT id, site FROM ingest_batches WHERE processed_at IS NULL AND received_at < ? ORDER BY received_at LIMIT ?')
    .bind(now - SWEEP_AFTER_MS, limit)
    .all<{ id: string; site: string }>();
  let processed = 0;
  for (const row of results) if (await processBatch(db, row.id, row.site, now)) processed++;
  return processed;
}
