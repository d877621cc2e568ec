import { DAY_MS } from '../lib/time';
import { dayEndMs, dayStartMs } from './layout';

/** Rows one DELETE removes: short statements, so the D1 writer is never held for long and
 * ingest's own transactions slip in between. */
export const PRUNE_BATCH_ROWS = 500;

/** Empties url, session and props of the rows of complete archived days whose ingest batches are
 * all applied: nothing reads them in D1 any more (the archive has them), while dedupe (id), erasure
 * (anon_id, user_id) and pruning (received_at) still need the rest for the hot window. Bounded like
 * pruning; a day is marked slimmed once no full row is left. Returns rows slimmed. */
export async function slimSite(db: D1Database, site: string, maxRows = 20 * PRUNE_BATCH_ROWS): Promise<number> {
  const { results: days } = await db
    .prepare('SELECT day FROM archive_days WHERE site = ?1 AND slimmed_at IS NULL AND pruned_at IS NULL ORDER BY day LIMIT 5')
    .bind(site)
    .all<{ day: string }>();
  let slimmed = 0;
  for (const { day } of days) {
    if (await hasPendingBatches(db, site, dayEndMs(day))) break;
    while (slimmed < maxRows) {
      const { meta } = await db
        .prepare(
          `UPDATE events SET url = '', session_id = '', props = '' WHERE site = ?1 AND id IN (
             SELECT id FROM events WHERE site = ?1 AND received_at >= ?2 AND received_at < ?3 AND props != '' LIMIT ${PRUNE_BATCH_ROWS})`,
        )
        .bind(site, dayStartMs(day), dayEndMs(day))
        .run();
      slimmed += meta.changes ?? 0;
      if ((meta.changes ?? 0) < PRUNE_BATCH_ROWS) {
        await db.prepare('UPDATE archive_days SET slimmed_at = ?3 WHERE site = ?1 AND day = ?2').bind(site, day, Date.now()).run();
        break;
      }
    }
    if (slimmed >= maxRows) break;
  }
  return slimmed;
}

async function hasPendingBatches(db: D1Database, site: string, before: number): Promise<boolean> {
  return (await db.prepare('SELECT 1 FROM ingest_batches WHERE site = ?1 AND processed_at IS NULL AND received_at < ?2 LIMIT 1').bind(site, before).first()) !== null;
}

/** Deletes from D1 the events of complete archived days older than the site's hot window, in
 * small batches, at most `maxRows` a call; a day whose ingest batches are not all applied yet
 * waits (the sweep still needs its rows). A day is marked pruned once none of its rows is left,
 * so a crash mid-day only leaves the rest for the next run. Returns rows deleted. */
export async function pruneSite(db: D1Database, site: string, hotWindowDays: number, now: number, maxRows = 20 * PRUNE_BATCH_ROWS): Promise<number> {
  const oldestKept = now - hotWindowDays * DAY_MS;
  const { results: days } = await db
    .prepare('SELECT day FROM archive_days WHERE site = ?1 AND pruned_at IS NULL ORDER BY day LIMIT 5')
    .bind(site)
    .all<{ day: string }>();
  let deleted = 0;
  for (const { day } of days) {
    if (dayEndMs(day) > oldestKept) break;
    if (await hasPendingBatches(db, site, dayEndMs(day))) break;
    while (deleted < maxRows) {
      const { meta } = await db
        .prepare(
          `DELETE FROM events WHERE site = ?1 AND id IN (
             SELECT id FROM events WHERE site = ?1 AND received_at >= ?2 AND received_at < ?3 LIMIT ${PRUNE_BATCH_ROWS})`,
        )
        .bind(site, dayStartMs(day), dayEndMs(day))
        .run();
      deleted += meta.changes ?? 0;
      if ((meta.changes ?? 0) < PRUNE_BATCH_ROWS) {
        // Applied ingest bookkeeping of the day goes with its rows.
        await db.batch([
          db.prepare('DELETE FROM ingest_batches WHERE site = ?1 AND received_at < ?2 AND processed_at IS NOT NULL').bind(site, dayEndMs(day)),
          db.prepare('UPDATE archive_days SET pruned_at = ?3 WHERE site = ?1 AND day = ?2').bind(site, day, now),
        ]);
        break;
      }
    }
    if (deleted >= maxRows) break;
  }
  return deleted;
}
