/** After a batch of new events is durable, it is applied to profiles and rollups. That work runs
 * after the response (waitUntil), and a cron sweep retries any batch whose processing did not
 * finish, so nothing is lost. Exactly once comes from a claim token: the first statement of the
 * transaction claims the batches, and every processor statement is guarded by that claim, so a
 * second processor racing for the same batch changes nothing. Several batches are applied in one
 * transaction, because under load a D1 round trip costs more than the statements in it. */

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

export interface BatchRef {
  id: string;
  site: string;
}

/** Applies the batches not yet processed, in one transaction. Returns how many it claimed. */
export async function processBatches(db: D1Database, batches: readonly BatchRef[], now = Date.now()): Promise<number> {
  if (batches.length === 0) return 0;
  const token = crypto.randomUUID();
  const work = await Promise.all(
    batches.flatMap(({ id, site }) => {
      const batch: BatchToProcess = {
        id,
        site,
        claimed: 'EXISTS (SELECT 1 FROM ingest_batches WHERE id = ? AND claim = ?)',
        claimParams: [id, token],
        now,
      };
      return processors.map((p) => p(db, batch));
    }),
  );
  const [claim] = await db.batch([
    db
      .prepare('UPDATE ingest_batches SET processed_at = ?1, claim = ?2 WHERE id IN (SELECT value FROM json_each(?3)) AND processed_at IS NULL')
      .bind(now, token, JSON.stringify(batches.map((b) => b.id))),
    ...work.flat(),
  ]);
  return claim?.meta.changes ?? 0;
}

/** Folds unprocessed batches of one site into one new batch (their events move to it), in one
 * transaction, so processors run once for all of them. Batches another processor already took
 * are left out; returns the batch to process, or null when nothing was left to fold. */
export async function foldBatches(db: D1Database, site: string, ids: readonly string[], now = Date.now()): Promise<string | null> {
  if (ids.length === 1) return ids[0]!;
  const fold = crypto.randomUUID();
  const [claimed] = await db.batch([
    db
      .prepare("UPDATE ingest_batches SET merged_into = ?1, processed_at = ?2, claim = 'folded' WHERE id IN (SELECT value FROM json_each(?3)) AND site = ?4 AND processed_at IS NULL")
      .bind(fold, now, JSON.stringify(ids), site),
    db.prepare('UPDATE events SET batch_id = ?1 WHERE batch_id IN (SELECT id FROM ingest_batches WHERE merged_into = ?1)').bind(fold),
    db
      .prepare('INSERT INTO ingest_batches (id, site, received_at) SELECT ?1, ?2, MIN(received_at) FROM ingest_batches WHERE merged_into = ?1 HAVING COUNT(*) > 0')
      .bind(fold, site),
  ]);
  return (claimed?.meta.changes ?? 0) > 0 ? fold : null;
}

/** Applies committed batches: per site, folded into one, then processed. Returns how many
 * batches were processed (folds count once). */
export async function applyBatches(db: D1Database, batches: readonly BatchRef[], now = Date.now()): Promise<number> {
  const bySite = new Map<string, string[]>();
  for (const { id, site } of batches) bySite.set(site, [...(bySite.get(site) ?? []), id]);
  let applied = 0;
  for (const [site, ids] of bySite) {
    const id = await foldBatches(db, site, ids, now);
    if (id) applied += await processBatches(db, [{ id, site }], now);
  }
  return applied;
}

/** Batches older than this without processed_at are taken to have lost their waitUntil. */
const SWEEP_AFTER_MS = 30_000;

export async function sweepPendingBatches(db: D1Database, now = Date.now(), limit = 200): Promise<number> {
  const { results } = await db
    .prepare('SELECT id, site FROM ingest_batches WHERE processed_at IS NULL AND received_at < ? ORDER BY received_at LIMIT ?')
    .bind(now - SWEEP_AFTER_MS, limit)
    .all<BatchRef>();
  return applyBatches(db, results, now);
}
