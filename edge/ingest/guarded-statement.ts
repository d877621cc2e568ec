import type { BatchToProcess } from './process-batch';

/** Binds named parameters (`:site`, `:batch`, ...) and places the batch's claim guard where the
 * SQL says `{claimed}`. Processor statements are long CTEs; positional `?` across them and the
 * guard's own two parameters would be easy to misorder. */
export function guardedStatement(
  db: D1Database,
  batch: BatchToProcess,
  sql: string,
  params: Record<string, unknown>,
): D1PreparedStatement {
  const binds: unknown[] = [];
  const text = sql.replace(/\{claimed\}|:([a-z_]+)\b/g, (token, name: string | undefined) => {
    if (token === '{claimed}') {
      binds.push(...batch.claimParams);
      return batch.claimed;
    }
    if (!(name! in params)) throw new Error(`guardedStatement: no value for :${name}`);
    binds.push(params[name!]);
    return '?';
  });
  if (!text.includes(batch.claimed)) throw new Error('guardedStatement: the SQL must hold {claimed}');
  return db.prepare(text).bind(...binds);
}
