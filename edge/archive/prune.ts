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

/** Ids one sweep statement reads, in key order, and windows a cron run goes through. */
const SWEEP_WINDOW_IDS = 5_000;
const SWEEP_WINDOWS_PER_RUN = 4;

/** One window of the sweep, in one transaction: note where the next SWEEP_WINDOW_IDS ids after the
 * cursor end, delete those of them older than the day given (a key range), move the cursor there,
 * or back to the start once a window comes up short (the site's ids are all seen). */
const SWEEP_START = `INSERT INTO event_id_sweeps (site) VALUES (?1) ON CONFLICT (site) DO NOTHING`;
const SWEEP_WINDOW = `
UPDATE event_id_sweeps SET (next, full) = (
  SELECT max(id), count(*) = ${SWEEP_WINDOW_IDS} FROM (
    SELECT id FROM event_ids WHERE site = ?1 AND id > event_id_sweeps.after ORDER BY id LIMIT ${SWEEP_WINDOW_IDS}))
WHERE site = ?1`;
const SWEEP_DELETE = `
DELETE FROM event_ids WHERE site = ?1 AND day < ?2
  AND id > (SELECT after FROM event_id_sweeps WHERE site = ?1) AND id <= (SELECT next FROM event_id_sweeps WHERE site = ?1)`;
const SWEEP_MOVE = `UPDATE event_id_sweeps SET after = CASE WHEN full THEN next ELSE '' END, next = NULL WHERE site = ?1 RETURNING full`;

/** Deletes event ids older than the site's hot window: no event that old is accepted any more, so
 * none can be a resend to recognise. The ids are walked in key order from where the last run
 * stopped (event_id_sweeps), at most SWEEP_WINDOWS_PER_RUN windows of SWEEP_WINDOW_IDS a run: each
 * statement reads a bounded key range, whatever the site holds. A site whose window holds more
 * than 20,000 ids a minute × the minutes of a day is swept in more than a day; an expired id then
 * stays until the sweep reaches it (dedupe only grows stricter). Returns ids deleted. */
export async function pruneEventIds(db: D1Database, site: string, hotWindowDays: number, now: number, windows = SWEEP_WINDOWS_PER_RUN): Promise<number> {
  const before = Math.floor((now - hotWindowDays * DAY_MS) / DAY_MS);
  let deleted = 0;
  for (let i = 0; i < windows; i++) {
    const [, , removed, moved] = await db.batch([
      db.prepare(SWEEP_START).bind(site),
      db.prepare(SWEEP_WINDOW).bind(site),
      db.prepare(SWEEP_DELETE).bind(site, before),
      db.prepare(SWEEP_MOVE).bind(site),
    ]);
    deleted += removed?.meta.changes ?? 0;
    // A short window reached the end of the site's ids: the cursor is back at the start.
    if (!(moved?.results as { full: number }[] | undefined)?.[0]?.full) break;
  }
  return deleted;
}
