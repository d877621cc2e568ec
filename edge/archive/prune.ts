import { DAY_MS } from '../lib/time';
import { dayEndMs, dayStartMs } from './layout';

/** Rows one DELETE removes: short statements, so the D1 writer is never held for long and
 * ingest's own transactions slip in between. */
export const PRUNE_BATCH_ROWS = 500;

async function hasPendingBatches(db: D1Database, site: string, before: number): Promise<boolean> {
  return (await db.prepare('SELECT 1 FROM ingest_batches WHERE site = ?1 AND processed_at IS NULL AND received_at < ?2 LIMIT 1').bind(site, before).first()) !== null;
}

/** Deletes the full rows of complete archived days whose ingest batches are all applied: nothing
 * reads them in D1 any more (the archive has them; dedupe reads event_ids). The events table is
 * keyed by arrival, so a day is one key range and its pages are freed whole. In small batches, at
 * most `maxRows` a call; a day is marked pruned once none of its rows is left, so a crash mid-day
 * leaves the rest for the next run. Returns rows deleted. */
export async function pruneArchivedRows(db: D1Database, site: string, now: number, maxRows = 20 * PRUNE_BATCH_ROWS): Promise<number> {
  const { results: days } = await db
    .prepare('SELECT day FROM archive_days WHERE site = ?1 AND pruned_at IS NULL ORDER BY day LIMIT 5')
    .bind(site)
    .all<{ day: string }>();
  let deleted = 0;
  for (const { day } of days) {
    if (await hasPendingBatches(db, site, dayEndMs(day))) break;
    while (deleted < maxRows) {
      const { meta } = await db
        .prepare(
          `DELETE FROM events WHERE site = ?1 AND (received_at, id) IN (
             SELECT received_at, id FROM events WHERE site = ?1 AND received_at >= ?2 AND received_at < ?3 LIMIT ${PRUNE_BATCH_ROWS})`,
        )
        .bind(site, dayStartMs(day), dayEndMs(day))
        .run();
      deleted += meta.changes ?? 0;
      if ((meta.changes ?? 0) < PRUNE_BATCH_ROWS) {
        await db.prepare('UPDATE archive_days SET pruned_at = ?3 WHERE site = ?1 AND day = ?2').bind(site, day, now).run();
        break;
      }
    }
    if (deleted >= maxRows) break;
  }
  return deleted;
}

/** Deletes event ids older than the site's hot window: no event that old is accepted any more, so
 * none can be a resend to recognise. Bounded like pruning. Returns ids deleted. */
export async function pruneEventIds(db: D1Database, site: string, hotWindowDays: number, now: number, maxRows = 20 * PRUNE_BATCH_ROWS): Promise<number> {
  const before = Math.floor((now - hotWindowDays * DAY_MS) / DAY_MS);
  let deleted = 0;
  while (deleted < maxRows) {
    const { meta } = await db
      .prepare(`DELETE FROM event_ids WHERE site = ?1 AND id IN (SELECT id FROM event_ids WHERE site = ?1 AND day < ?2 LIMIT ${PRUNE_BATCH_ROWS})`)
      .bind(site, before)
      .run();
    deleted += meta.changes ?? 0;
    if ((meta.changes ?? 0) < PRUNE_BATCH_ROWS) break;
  }
  return deleted;
}
