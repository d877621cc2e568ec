import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './dev-worker.mjs';

/** Runs one SQL query against the local D1 a dev worker persists in `persistTo` (safe while it
 * runs): how browser tests and benchmarks count what really reached D1. ~1.5 s a call. */
export function queryLocalD1(persistTo, sql) {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), 'd1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--json', '--command', sql],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`wrangler d1 execute failed: ${result.stderr}`);
  return JSON.parse(result.stdout)[0].results;
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
