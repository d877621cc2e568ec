/** How far a database's schema has come: `wrangler d1 migrations apply` (and the tests'
 * applyD1Migrations) record each applied file in d1_migrations, and file names sort in order. */

/** The newest migration applied to `db`, or null when none is (a database just created). */
export async function latestMigration(db: D1Database): Promise<string | null> {
  try {
    const row = await db.prepare('SELECT max(name) AS name FROM d1_migrations').first<{ name: string | null }>();
    return row?.name ?? null;
  } catch (err) {
    if (String(err).includes('no such table')) return null;
    throw err;
  }
}

/** Whether `db` lacks migrations the shared database has (both are migrated from edge/migrations). */
export async function migrationsBehind(db: D1Database, shared: D1Database): Promise<{ behind: boolean; latest: string | null; expected: string | null }> {
  const [latest, expected] = await Promise.all([latestMigration(db), latestMigration(shared)]);
  return { behind: expected !== null && (latest === null || latest < expected), latest, expected };
}
