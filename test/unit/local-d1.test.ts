// The tests' and benchmarks' access to a running worker's local D1 (scripts/lib/local-d1.mjs),
// straight on its SQLite file: reads must not wait for the worker's writes, and a fixture row
// written while the worker holds the write lock must wait its turn, not fail.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build scripts, no declarations
import { queryLocalD1 } from '../../scripts/lib/local-d1.mjs';

const persistTo = mkdtempSync(join(tmpdir(), 'touchpoint-local-d1-'));
const dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
const file = join(dir, '0123abcd.sqlite');
const holders: ChildProcess[] = [];
afterAll(() => {
  for (const child of holders) child.kill();
  rmSync(persistTo, { recursive: true, force: true });
});

/** Another process holds the write lock, with a row written and not committed, for `ms`. */
async function writeLockFor(ms: number): Promise<void> {
  const script = `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(${JSON.stringify(file)});
    db.exec("BEGIN IMMEDIATE; INSERT INTO events VALUES ('uncommitted')"); console.log('locked'); setTimeout(() => db.exec('COMMIT'), ${ms});`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  holders.push(child);
  await new Promise((resolve) => child.stdout!.once('data', resolve));
}

describe('queryLocalD1', () => {
  it('says so when the directory holds no local D1', () => {
    expect(() => queryLocalD1(persistTo, 'SELECT 1')).toThrow(/no local D1 database under/);
  });

  it('reads what is committed while a writer holds the lock, and waits to write until the lock is free', async () => {
    mkdirSync(dir, { recursive: true });
    // Like the worker's D1: a WAL database beside miniflare's metadata file.
    new DatabaseSync(join(dir, 'metadata.sqlite')).close();
    const db = new DatabaseSync(file);
    db.exec("PRAGMA journal_mode = WAL; CREATE TABLE events (id TEXT); INSERT INTO events VALUES ('stored')");
    db.close();

    expect(queryLocalD1(persistTo, 'SELECT id FROM events')).toEqual([{ id: 'stored' }]);
    // A read that waited for the lock would give up after the busy timeout and throw.
    await writeLockFor(60_000);
    expect(queryLocalD1(persistTo, 'SELECT id FROM events')).toEqual([{ id: 'stored' }]);
    holders.pop()!.kill();

    await writeLockFor(1_000);
    queryLocalD1(persistTo, "INSERT INTO events VALUES ('fixture')");
    expect(queryLocalD1(persistTo, 'SELECT id FROM events ORDER BY id')).toEqual([{ id: 'fixture' }, { id: 'stored' }, { id: 'uncommitted' }]);
  }, 30_000);
});
