import { boundLimit } from '../lib/sql-limit';
import { gunzipText, gzipChunks } from './gzip';

interface Erasure {
  id: number;
  site: string;
  anon_ids: string;
  user_ids: string;
  done_day: string;
  done_part: number;
}

/** Records, in the erasure's own D1 batch, that the archive must forget these browsers and members
 * — when the archive may hold them: it has parts, or a run holds the lease and may be writing one
 * from rows read before this batch deleted them. The ids are kept only until the rewrite is done. */
export function archiveErasureStatement(db: D1Database, site: string, anonIds: readonly string[], userIds: readonly string[], now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO archive_erasures (site, anon_ids, user_ids, requested_at) SELECT ?1, ?2, ?3, ?4
       WHERE EXISTS (SELECT 1 FROM archive_parts WHERE site = ?1) OR EXISTS (SELECT 1 FROM archive_leases WHERE site = ?1)`,
    )
    .bind(site, JSON.stringify(anonIds), JSON.stringify(userIds), now);
}

/** Carries a site's pending erasures into its archived objects: each part is read, the shopper's
 * lines are dropped, and the part is put back under its key (then its manifest row updated),
 * at most `maxParts` parts a call. Run under the site's lease, so no part is being written
 * meanwhile; parts archived after the erasure were read from D1 after it deleted the rows.
 * Returns parts rewritten. */
export async function eraseFromArchive(db: D1Database, bucket: R2Bucket, site: string, now: number, maxParts = 20): Promise<number> {
  const { results: erasures } = await db
    .prepare('SELECT id, site, anon_ids, user_ids, done_day, done_part FROM archive_erasures WHERE site = ?1 ORDER BY id LIMIT 10')
    .bind(site)
    .all<Erasure>();
  let rewritten = 0;
  let budget = maxParts;
  for (const erasure of erasures) {
    const anons = new Set<string>(JSON.parse(erasure.anon_ids) as string[]);
    const users = new Set<string>(JSON.parse(erasure.user_ids) as string[]);
    const { results: parts } = await db
      .prepare(`SELECT day, part, r2_key FROM archive_parts WHERE site = ?1 AND (day, part) > (?2, ?3) ORDER BY day, part LIMIT ${boundLimit('?4')}`)
      .bind(site, erasure.done_day, erasure.done_part, budget)
      .all<{ day: string; part: number; r2_key: string }>();
    for (const part of parts) {
      const object = await bucket.get(part.r2_key);
      if (object) {
        const lines = (await gunzipText(object.body)).split('\n').filter(Boolean);
        const kept = lines.filter((line) => {
          const { anon_id, user_id } = JSON.parse(line) as { anon_id: string; user_id: string | null };
          return !anons.has(anon_id) && !(user_id !== null && users.has(user_id));
        });
        if (kept.length < lines.length) {
          const body = await gzipChunks((async function* () {
            yield kept.map((line) => `${line}\n`).join('');
          })());
          await bucket.put(part.r2_key, body, { httpMetadata: { contentType: 'application/gzip' }, customMetadata: { ...object.customMetadata, events: String(kept.length) } });
          await db
            .prepare('UPDATE archive_parts SET events = ?4, bytes = ?5 WHERE site = ?1 AND day = ?2 AND part = ?3')
            .bind(site, part.day, part.part, kept.length, body.byteLength)
            .run();
          rewritten++;
        }
      }
      await db.prepare('UPDATE archive_erasures SET done_day = ?2, done_part = ?3 WHERE id = ?1').bind(erasure.id, part.day, part.part).run();
    }
    budget -= parts.length;
    if (budget <= 0) break;
    // Done: the ids it names are not kept any longer.
    await db.prepare('DELETE FROM archive_erasures WHERE id = ?1').bind(erasure.id).run();
  }
  return rewritten;
}
