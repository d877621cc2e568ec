import { eventsJsonFor, type PipelineBatch, type PropsRead } from './batch';

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
  options: { props?: PropsRead; urlHas?: string } = {},
): D1PreparedStatement | null {
  const events = eventsJsonFor(batch, names, options);
  return events === null ? null : guardedStatementOf(db, batch, sql, { events, ...params });
}

/** A step's SQL with its named parameters made positional, and the names in slot order: the same
 * for every batch, so each SQL text is rewritten once per isolate (the regex over long CTEs was a
 * cost of every round). */
interface Positional {
  text: string;
  names: string[];
}
const positional = new Map<string, Positional>();

/** `\u0000claim_id` and `\u0000claim_token` stand for the guard's two values. */
function positionalOf(sql: string, claimed: string): Positional {
  const key = `${claimed}\u0000${sql}`;
  let known = positional.get(key);
  if (known) return known;
  if (!sql.includes('{claimed}')) throw new Error('guardedStatement: the SQL must hold {claimed}');
  const names: string[] = [];
  const slotOf = (name: string) => {
    const at = names.indexOf(name);
    return `?${at < 0 ? names.push(name) : at + 1}`;
  };
  const text = sql.replace(/\{claimed\}|:([a-z_]+)\b/g, (token, name: string | undefined) =>
    // The guard's two placeholders, in the order `claimed` names them.
    token === '{claimed}' ? claimed.replace('?', slotOf('\u0000claim_id')).replace(/\?(?!\d)/, slotOf('\u0000claim_token')) : slotOf(name!),
  );
  // Steps' SQL is module constants; the bound only guards against one built per call.
  if (positional.size >= 1_000) positional.clear();
  positional.set(key, (known = { text, names }));
  return known;
}

function guardedStatementOf(db: D1Database, batch: PipelineBatch, sql: string, params: Record<string, unknown>): D1PreparedStatement {
  const [id, claim] = batch.claimParams;
  const given: Record<string, unknown> = { site: batch.site, batch: batch.id, now: batch.now, '\u0000claim_id': id, '\u0000claim_token': claim, ...params };
  const { text, names } = positionalOf(sql, batch.claimed);
  const binds = names.map((name) => {
    if (name in given) return given[name];
    // Every event, only for a statement that reads them and was not given its own selection.
    if (name === 'events') return eventsJsonFor(batch, 'all');
    throw new Error(`guardedStatement: no value for :${name}`);
  });
  return db.prepare(text).bind(...binds);
}
