// The tests' and benchmarks' read of a running worker's local D1 (scripts/lib/local-d1.mjs): it must
// not fail because the worker holds the database's write lock for a moment.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build scripts, no declarations
import { queryLocalD1 } from '../../scripts/lib/local-d1.mjs';

const persistTo = mkdtempSync(join(tmpdir(), 'touchpoint-local-d1-'));
const holders: ChildProcess[] = [];
afterAll(() => {
  for (const child of holders) child.kill();
  rmSync(persistTo, { recursive: true, force: true });
});

/** Another process takes the database's exclusive lock, as a writer would, for `ms`. */
async function lockFor(ms: number): Promise<void> {
  const dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = join(dir, readdirSync(dir).find((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite')!);
  const script = `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(${JSON.stringify(file)}); db.exec('BEGIN EXCLUSIVE'); console.log('locked'); setTimeout(() => db.exec('COMMIT'), ${ms});`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  holders.push(child);
  await new Promise((resolve) => child.stdout!.once('data', resolve));
}

describe('queryLocalD1', () => {
  it('answers once a write lock held for a moment is released, and says so when it never is', async () => {
    expect(queryLocalD1(persistTo, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await lockFor(3_000);
    expect(queryLocalD1(persistTo, 'SELECT 2 AS two')).toEqual([{ two: 2 }]);
    await lockFor(60_000);
    expect(() => queryLocalD1(persistTo, 'SELECT 3')).toThrow(/failed 5 times, the database locked each time/);
  }, 60_000);
});
