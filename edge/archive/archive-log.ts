import { archiveLine, dayEndMs, dayOf, PART_EVENTS, partKey, type StoredEventRow } from './layout';
import { gzipChunks } from './gzip';
import { boundLimit } from '../lib/sql-limit';

/** A day is archived only once it is over and this long has passed, so a request received at
 * 23:59:59 but committed a moment later is in D1 before its day is read. */
const DAY_GRACE_MS = 15 * 60_000;
/** Rows one D1 read returns. */
const PAGE_ROWS = 2_000;

const EVENT_COLUMNS = 'id, name, ts, client_ts, received_at, anon_id, user_id, session_id, seq, url, props';

interface Cursor {
  day: string;
  part: number;
  last_received_at: number;
  last_id: string;
}

export interface ArchivedPart {
  day: string;
  part: number;
  events: number;
  bytes: number;
}

/** Archives the next part of a site's event log: the events after the manifest's last part, of
 * one finished day, up to PART_EVENTS. Steps: read, compress, put, verify the object's size, then
 * record it in archive_parts. A crash before the record leaves the same part to be rebuilt over
 * the same key next time; D1 rows are not touched here (pruning deletes them later, only from
 * complete days). Returns null when no finished day has events left to archive. */
export async function archiveNextPart(db: D1Database, bucket: R2Bucket, site: string, now: number, partEvents = PART_EVENTS): Promise<ArchivedPart | null> {
  const last = await db
    .prepare('SELECT day, part, last_received_at, last_id FROM archive_parts WHERE site = ?1 ORDER BY day DESC, part DESC LIMIT 1')
    .bind(site)
    .first<Cursor>();
  const after = { received_at: last?.last_received_at ?? -1, id: last?.last_id ?? '' };
  const next = await db
    .prepare('SELECT received_at FROM events WHERE site = ?1 AND (received_at, id) > (?2, ?3) ORDER BY received_at, id LIMIT 1')
    .bind(site, after.received_at, after.id)
    .first<{ received_at: number }>();
  // The last archived day is complete once it is over and the log has moved past it (or has nothing more).
  if (last && (!next || dayOf(next.received_at) !== last.day) && dayEndMs(last.day) + DAY_GRACE_MS <= now) await markComplete(db, site, last.day, now);
  if (!next) return null;
  const day = dayOf(next.received_at);
  if (dayEndMs(day) + DAY_GRACE_MS > now) return null;
  const part = last?.day === day ? last.part + 1 : 0;

  let count = 0;
  let tail = after;
  async function* lines(): AsyncGenerator<string> {
    while (count < partEvents) {
      const limit = Math.min(PAGE_ROWS, partEvents - count);
      const { results } = await db
        .prepare(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE site = ?1 AND (received_at, id) > (?2, ?3) AND received_at < ?4
           ORDER BY received_at, id LIMIT ${boundLimit('?5')}`,
        )
        .bind(site, tail.received_at, tail.id, dayEndMs(day), limit)
        .all<StoredEventRow>();
      if (results.length === 0) return;
      yield results.map(archiveLine).join('');
      count += results.length;
      const end = results[results.length - 1]!;
      tail = { received_at: end.received_at, id: end.id };
      if (results.length < limit) return;
    }
  }
  const body = await gzipChunks(lines());
  if (count === 0) return null;
  const key = partKey(site, day, part);
  await bucket.put(key, body, {
    httpMetadata: { contentType: 'application/gzip' },
    customMetadata: { events: String(count), last_id: tail.id },
  });
  const stored = await bucket.head(key);
  if (!stored || stored.size !== body.byteLength) throw new Error(`archive ${key}: R2 holds ${stored?.size ?? 'nothing'}, ${body.byteLength} bytes were put`);
  await db
    .prepare(
      `INSERT INTO archive_parts (site, day, part, r2_key, events, bytes, last_received_at, last_id, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING`,
    )
    .bind(site, day, part, key, count, body.byteLength, tail.received_at, tail.id, now)
    .run();
  return { day, part, events: count, bytes: body.byteLength };
}

async function markComplete(db: D1Database, site: string, day: string, now: number): Promise<void> {
  await db.prepare('INSERT INTO archive_days (site, day, complete_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING').bind(site, day, now).run();
}
