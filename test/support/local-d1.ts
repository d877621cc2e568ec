// Typed access to the local D1 of the browser project's dev worker.
import { inject } from 'vitest';
// @ts-expect-error plain ESM build scripts, no declarations
import { queryLocalD1 } from '../../scripts/lib/local-d1.mjs';

export function queryD1<Row = Record<string, unknown>>(sql: string): Row[] {
  return queryLocalD1(inject('persistDir'), sql) as Row[];
}
