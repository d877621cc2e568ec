/** A LIMIT taken from a bound parameter, for SQL text: `LIMIT ${boundLimit('?3')}`.
 *
 * SQLite (3.47 and later: D1's, workerd's) reads the value bound to a bare `LIMIT ?N` while it
 * plans the statement, and so marks the compiled statement stale whenever that parameter is bound
 * again — which D1 does on every call: each run recompiled the whole statement first. The decide
 * shelf spent about 2 of its 2.6 ms of SQL recompiling (README, "Where the worker's time goes").
 * The cast gives LIMIT the same number, but it is not a bare parameter, so the compiled statement
 * is reused. `test/unit/sql-limit.test.ts` keeps bare ones out of edge/. */
export const boundLimit = (param: string) => `CAST(${param} AS INTEGER)`;
