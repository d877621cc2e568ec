import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { boundLimit } from '../../edge/lib/sql-limit';
import { EDGE, edgeSources } from '../support/edge-sources';

describe('LIMIT from a bound parameter (edge/lib/sql-limit.ts)', () => {
  it('is never a bare parameter in the worker\'s SQL: SQLite recompiles such a statement each time it is bound', () => {
    const bare: string[] = [];
    for (const file of edgeSources())
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          // SQL keywords are upper case here; comments may name the pattern.
          if (/\b(LIMIT|OFFSET)\s+[?:]/.test(line) && !/^\s*(\*|\/\/)/.test(line)) bare.push(`${relative(EDGE, file)}:${i + 1}: ${line.trim()}`);
        });
    expect(bare, 'write LIMIT ${boundLimit(\'?N\')}').toEqual([]);
  });

  it('limits as the bare parameter does: a count, none for 0, all for a negative one', () => {
    const db = new DatabaseSync(':memory:');
    const rows = [1, 2, 3, 4, 5].map((n) => ({ n }));
    const read = (limit: string, value: unknown) => db.prepare(`SELECT value AS n FROM json_each(?1) LIMIT ${limit}`).all(JSON.stringify([1, 2, 3, 4, 5]), value as number).map((r) => ({ n: r.n }));
    for (const value of [0, 2, 5, 9, -1]) expect(read(boundLimit('?2'), value)).toEqual(read('?2', value));
    expect(read(boundLimit('?2'), 2)).toEqual(rows.slice(0, 2));
    expect(read(`${boundLimit('?2')} * 2`, 2)).toEqual(rows.slice(0, 4));
  });
});
