import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** How long a query waits out a lock on the file (SQLite's busy timeout): in WAL mode readers never
 * wait for the worker's writes, but a write (a test's fixture row) waits for the worker's
 * transaction, which lasts milliseconds. */
const BUSY_TIMEOUT_MS = 5_000;

/** The SQLite file of the local D1 a dev worker persists in `persistTo`. */
function localD1File(persistTo) {
  const dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = existsSync(dir) && readdirSync(dir).find((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite');
  if (!file) throw new Error(`no local D1 database under ${dir}`);
  return join(dir, file);
}

/** node:sqlite (Node 22), loaded when first used, so that importing this module works on any Node. */
const sqlite = () => createRequire(import.meta.url)('node:sqlite');

/** Runs one SQL statement against the local D1 a dev worker persists in `persistTo`, straight on its
 * SQLite file (safe while the worker runs: the file is in WAL mode, and a lock is waited out for
 * BUSY_TIMEOUT_MS): how browser tests and benchmarks check what really reached D1. Rows come back
 * as plain objects. (It spawned `wrangler d1 execute`, 1.5–3 s a call, a third of the test suite's
 * time; the file is opened for each call, as a worker restarted on the same directory replaces it.) */
export function queryLocalD1(persistTo, sql) {
  const { DatabaseSync } = sqlite();
  const db = new DatabaseSync(localD1File(persistTo), { timeout: BUSY_TIMEOUT_MS });
  try {
    return db.prepare(sql).all().map((row) => ({ ...row }));
  } finally {
    db.close();
  }
}

/** The local D1 file, opened read-only, for benchmarks that poll D1 many times a second while the
 * worker writes (WAL allows it). */
export async function openLocalD1(persistTo) {
  const { DatabaseSync } = sqlite();
  return new DatabaseSync(localD1File(persistTo), { readOnly: true, timeout: BUSY_TIMEOUT_MS });
}
