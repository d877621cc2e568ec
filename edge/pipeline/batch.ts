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
 * SQLite parses the JSON again at each use. `jsonb_each`: each event comes out in SQLite's binary
 * JSON, which the nine `->>` read directly; `json_each` rendered every event back to text for each
 * of them to parse again (2.5 against 0.65 ms for 260 events in node:sqlite). */
export const BATCH_EVENTS = `(
  SELECT x.value ->> '$.id' AS id, x.value ->> '$.name' AS name, x.value ->> '$.ts' AS ts, x.value ->> '$.seq' AS seq,
         x.value ->> '$.anon_id' AS anon_id, x.value ->> '$.user_id' AS user_id, x.value ->> '$.session_id' AS session_id,
         x.value ->> '$.url' AS url, x.value ->> '$.props' AS props
  FROM jsonb_each(:events) x)`;

const filtered = new WeakMap<PipelineBatch, Map<string, string | null>>();

/** What of an event's props a statement reads: all of them, none (`false`), or `'items'` — the
 * order's `transaction_id` and each item's id, category and quantity, all that the recommendation
 * aggregates read of a product event (its names, prices, images and URLs are most of its bytes,
 * and each statement carries its own copy). */
export type PropsRead = boolean | 'items';

interface ItemRead {
  item_id?: unknown;
  item_category?: unknown;
  quantity?: unknown;
}

/** Per event: a view or a purchase is in two of the step's selections (all activity, and views or
 * purchases alone), and each would parse its props again. */
const itemsRead = new WeakMap<AcceptedEvent, string>();

function itemsOnly(event: AcceptedEvent): string {
  let json = itemsRead.get(event);
  if (json === undefined) {
    const { transaction_id, items } = JSON.parse(event.props) as { transaction_id?: unknown; items?: unknown };
    const kept = Array.isArray(items) ? items.map((i: ItemRead | null) => ({ item_id: i?.item_id, item_category: i?.item_category, quantity: i?.quantity })) : undefined;
    itemsRead.set(event, (json = JSON.stringify({ transaction_id, items: kept })));
  }
  return json;
}

/** The batch's events of these names as JSON for `:events` (null when it holds none): a statement
 * is sent only the events it reads, since every statement carries its own copy of the parameter.
 * `props` says what of their props it reads (PropsRead); `urlHas` keeps only events whose URL
 * holds that text, for statements that read no other. */
export function eventsJsonFor(batch: PipelineBatch, names: readonly string[] | 'all', { props = true, urlHas = '' }: { props?: PropsRead; urlHas?: string } = {}): string | null {
  const key = `${props === 'items' ? 'i' : props ? 'p' : '-'}:${names === 'all' ? '*' : names.join(',')}:${urlHas}`;
  let cache = filtered.get(batch);
  if (!cache) filtered.set(batch, (cache = new Map()));
  if (!cache.has(key)) {
    const wanted = batch.events.filter((e) => (names === 'all' || names.includes(e.name)) && (!urlHas || e.url.includes(urlHas)));
    const sent = props === true ? wanted : wanted.map((e) => ({ ...e, props: props === 'items' ? itemsOnly(e) : '{}' }));
    cache.set(key, wanted.length === 0 ? null : JSON.stringify(sent));
  }
  return cache.get(key)!;
}
