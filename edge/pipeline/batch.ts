import type { AcceptedEvent } from '../contract/accepted-event';

/** One unit of post-ingest work: the new events of one or more stored batches of one site, handed
 * over in memory, and the claim that makes applying them exactly-once. */
export interface PipelineBatch {
  /** The batch the claim guard checks (the first of the group). */
  id: string;
  site: string;
  /** The events new to storage (duplicates already left out), in any order. */
  events: readonly AcceptedEvent[];
  /** SQL condition true only while this run holds the claim; bind `claimParams`. */
  claimed: string;
  claimParams: readonly [string, string];
  now: number;
}

/** Returns the statements that apply a batch; each must include `{claimed}` (see guardedStatement),
 * so a run that lost the claim changes nothing. */
export type StepStatements = (db: D1Database, batch: PipelineBatch) => Promise<D1PreparedStatement[]>;

/** A named step of the post-ingest pipeline (edge/pipeline/steps.ts). */
export interface PipelineStep {
  name: string;
  statements: StepStatements;
}

/** The batch's events as a table `e`-like source for SQL: `FROM ${BATCH_EVENTS} e`. They come from
 * the `:events` parameter, not from the events table, so the pipeline never reads back what was
 * just written (and does not depend on how long the events table keeps rows). A CTE over it that a
 * statement reads more than once (or from a correlated subquery) must be `AS MATERIALIZED`, or
 * SQLite parses the JSON again at each use. */
export const BATCH_EVENTS = `(
  SELECT x.value ->> '$.id' AS id, x.value ->> '$.name' AS name, x.value ->> '$.ts' AS ts, x.value ->> '$.seq' AS seq,
         x.value ->> '$.anon_id' AS anon_id, x.value ->> '$.user_id' AS user_id, x.value ->> '$.session_id' AS session_id,
         x.value ->> '$.url' AS url, x.value ->> '$.props' AS props
  FROM json_each(:events) x)`;

const filtered = new WeakMap<PipelineBatch, Map<string, string | null>>();

/** The batch's events of these names as JSON for `:events` (null when it holds none): a statement
 * is sent only the events it reads, since every statement carries its own copy of the parameter.
 * `props: false` leaves props out, for statements that never read them; `urlHas` keeps only events
 * whose URL holds that text, for statements that read no other. */
export function eventsJsonFor(batch: PipelineBatch, names: readonly string[] | 'all', { props = true, urlHas = '' } = {}): string | null {
  const key = `${props ? 'p' : '-'}:${names === 'all' ? '*' : names.join(',')}:${urlHas}`;
  let cache = filtered.get(batch);
  if (!cache) filtered.set(batch, (cache = new Map()));
  if (!cache.has(key)) {
    const wanted = batch.events.filter((e) => (names === 'all' || names.includes(e.name)) && (!urlHas || e.url.includes(urlHas)));
    cache.set(key, wanted.length === 0 ? null : JSON.stringify(props ? wanted : wanted.map((e) => ({ ...e, props: '{}' }))));
  }
  return cache.get(key)!;
}
