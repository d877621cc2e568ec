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
