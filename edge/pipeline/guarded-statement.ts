import { eventsJsonFor, type PipelineBatch } from './batch';

/** Binds named parameters (`:site`, `:events`, ...) and places the batch's claim guard where the
 * SQL says `{claimed}`. Step statements are long CTEs; positional `?` across them and the guard's
 * own two parameters would be easy to misorder. Each name is bound once however often the SQL
 * uses it (the events JSON travels once per statement). `:site`, `:batch`, `:now` and `:events`
 * come from the batch unless `params` says otherwise. */
export function guardedStatement(db: D1Database, batch: PipelineBatch, sql: string, params: Record<string, unknown> = {}): D1PreparedStatement {
  return guardedStatementOf(db, batch, sql, params)!;
}

/** A step statement over the batch's events of `names` only, or null when the batch holds none
 * (the statement would change nothing, so it is not sent). */
export function statementFor(
  db: D1Database,
  batch: PipelineBatch,
  names: readonly string[] | 'all',
  sql: string,
  params: Record<string, unknown> = {},
  options: { props?: boolean; urlHas?: string } = {},
): D1PreparedStatement | null {
  const events = eventsJsonFor(batch, names, options);
  return events === null ? null : guardedStatementOf(db, batch, sql, { events, ...params });
}

function guardedStatementOf(db: D1Database, batch: PipelineBatch, sql: string, params: Record<string, unknown>): D1PreparedStatement {
  const values: Record<string, unknown> = { site: batch.site, batch: batch.id, now: batch.now, events: batch.eventsJson, ...params };
  const binds: unknown[] = [];
  const slots = new Map<string, number>();
  const slotOf = (key: string, value: unknown) => {
    let slot = slots.get(key);
    if (slot === undefined) {
      binds.push(value);
      slots.set(key, (slot = binds.length));
    }
    return `?${slot}`;
  };
  const text = sql.replace(/\{claimed\}|:([a-z_]+)\b/g, (token, name: string | undefined) => {
    if (token === '{claimed}') {
      const [id, claim] = batch.claimParams;
      // The guard's two placeholders, in the order `batch.claimed` names them.
      return batch.claimed.replace('?', slotOf('\u0000claim_id', id)).replace(/\?(?!\d)/, slotOf('\u0000claim_token', claim));
    }
    if (!(name! in values)) throw new Error(`guardedStatement: no value for :${name}`);
    return slotOf(name!, values[name!]);
  });
  if (!sql.includes('{claimed}')) throw new Error('guardedStatement: the SQL must hold {claimed}');
  return db.prepare(text).bind(...binds);
}
