/** A site's archive lease: archiving and erasure rewrites of one site run one at a time, even
 * when cron runs overlap. Expires by itself if its holder dies. */
const LEASE_MS = 5 * 60_000;

export async function withSiteLease<T>(db: D1Database, site: string, now: number, work: () => Promise<T>): Promise<T | null> {
  const holder = crypto.randomUUID();
  const taken = await db
    .prepare(
      `INSERT INTO archive_leases (site, holder, until) VALUES (?1, ?2, ?3)
       ON CONFLICT (site) DO UPDATE SET holder = excluded.holder, until = excluded.until WHERE archive_leases.until < ?4`,
    )
    .bind(site, holder, now + LEASE_MS, now)
    .run();
  if ((taken.meta.changes ?? 0) === 0) return null;
  try {
    return await work();
  } finally {
    await db.prepare('DELETE FROM archive_leases WHERE site = ?1 AND holder = ?2').bind(site, holder).run();
  }
}
