import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './dev-worker.mjs';

/** How often a query the running worker's write lock turned away is tried again, and the pause
 * between tries: the worker's transactions last milliseconds, `wrangler d1 execute` does not wait. */
const BUSY_TRIES = 5;
const BUSY_PAUSE_MS = 250;

/** Runs one SQL query against the local D1 a dev worker persists in `persistTo` (safe while it
 * runs: a query that meets the worker's write lock, SQLITE_BUSY, is tried again): how browser tests
 * and benchmarks count what really reached D1. ~1.5 s a call. */
export function queryLocalD1(persistTo, sql) {
  for (let attempt = 1; ; attempt++) {
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), 'd1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--json', '--command', sql],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (result.status === 0) return JSON.parse(result.stdout)[0].results;
    const busy = /SQLITE_BUSY|database is locked/.test(`${result.stderr}${result.stdout}`);
    if (!busy || attempt === BUSY_TRIES) throw new Error(`wrangler d1 execute failed${busy ? ` ${attempt} times, the database locked each time` : ''}: ${result.stderr}`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, BUSY_PAUSE_MS);
  }
}

/** The local D1 file a dev worker persists in `persistTo`, opened read-only with node:sqlite (Node
 * 22): for benchmarks that poll D1 many times a second while the worker writes (WAL allows it). */
export async function openLocalD1(persistTo) {
  const { readdirSync } = await import('node:fs');
  const { DatabaseSync } = await import('node:sqlite');
  const dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = readdirSync(dir).find((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite');
  if (!file) throw new Error(`no local D1 database under ${dir}`);
  return new DatabaseSync(join(dir, file), { readOnly: true });
}
