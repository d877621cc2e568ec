import { applyBatches, type StoredBatch } from '../pipeline/run';
import type { AcceptedEvent, AppendResult, EventWriter, KeepAlive } from './event-writer';
import { eventIdKey } from './event-id-key';

/** One multi-row INSERT per request batch: the events travel as one JSON parameter and
 * jsonb_each unpacks them inside SQLite (as JSONB: each `->>` reads the element without parsing
 * its text again), so a 100-event batch is a single statement and stays
 * under D1's 100-bound-parameter limit. The full row goes in only when event_ids does not know
 * the id yet (the events table is keyed by arrival and keeps rows only until they are archived;
 * event_ids keeps the ids for the site's hot window). */
const INSERT_EVENTS = `
INSERT INTO events (site, received_at, id, name, ts, client_ts, anon_id, user_id, session_id, url, props, batch_id, seq)
SELECT ?1, ?2, e.value ->> '$.id', e.value ->> '$.name', e.value ->> '$.ts', e.value ->> '$.client_ts',
       e.value ->> '$.anon_id', e.value ->> '$.user_id', e.value ->> '$.session_id', e.value ->> '$.url',
       e.value ->> '$.props', ?3, e.value ->> '$.seq'
FROM jsonb_each(?4) AS e
WHERE NOT EXISTS (SELECT 1 FROM event_ids i WHERE i.site = ?1 AND i.id = ${eventIdKey("e.value ->> '$.id'")})
ON CONFLICT DO NOTHING`;

/** The ids of the batch, each once for good (a UUID as its 16 bytes, edge/store/event-id-key.ts).
 * Bound to the ids alone (a JSON array), not the events: every parameter travels to D1 as JSON of
 * its own. */
const INSERT_IDS = `
INSERT INTO event_ids (site, id, day)
SELECT ?1, ${eventIdKey('e.value')}, ?2 / 86400000 FROM jsonb_each(?4) AS e
WHERE true
ON CONFLICT DO NOTHING`;

/** Which events of an append were stored, asked only when some were not (a retried batch): the
 * rows that carry its batch id. */
const STORED_IDS = `SELECT id FROM events WHERE site = ?1 AND received_at = ?2 AND batch_id = ?3`;

/** Registered in the same transaction, only if the INSERT just before it stored something new
 * (changes() is that statement's row count: the batch's events are not read back). */
const INSERT_BATCH = `
INSERT INTO ingest_batches (id, site, received_at)
SELECT ?3, ?1, ?2 WHERE changes() > 0`;

/** 12 random base64url characters (72 bits): a batch id is stored on every event row, so it is
 * kept short; ingest_batches' primary key catches the impossible collision as a failed append. */
function newBatchId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

/** Under load (appends waiting to commit), a pipeline round waits this long for more batches unless
 * it already holds APPLY_ROUND_EVENTS events: its statements cost about as much per round as per
 * event. A round takes at most about APPLY_ROUND_EVENTS events. */
const APPLY_GATHER_MS = 50;
const APPLY_ROUND_EVENTS = 1_000;
const pendingEvents = (batches: readonly StoredBatch[]) => batches.reduce((n, b) => n + b.events.length, 0);
/** How many of the first batches make a round of at most `events` events (at least one batch): a
 * round is one transaction, and the worker's requests wait behind a long one. */
function batchesUpTo(batches: readonly StoredBatch[], events: number): number {
  let n = 0;
  let total = 0;
  while (n < batches.length && (n === 0 || total + batches[n]!.events.length <= events)) total += batches[n++]!.events.length;
  return n;
}

interface PendingAppend {
  site: string;
  events: readonly AcceptedEvent[];
  receivedAt: number;
  batchId: string;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit: appends that arrive while a D1 transaction is in flight wait for it and then go
 * together in the next one, each still answered with its own counts only once it is durable.
 * A D1 round trip costs far more than the rows in it, so under load this multiplies throughput;
 * when idle, a lone append is written at once. Processing of the committed batches follows in a
 * transaction of its own after the answers are out.
 */
export class D1EventWriter implements EventWriter {
  private readonly queue: PendingAppend[] = [];
  /** The commit loop, while one runs: appends arriving meanwhile join its next group. */
  private draining: Promise<void> | null = null;
  /** Committed batches waiting to be applied to profiles and rollups. */
  private readonly toApply: StoredBatch[] = [];
  /** The apply loop, while one runs: batches committed meanwhile are folded into its next round. */
  private applying: Promise<void> | null = null;

  constructor(private readonly db: D1Database) {}

  append(site: string, events: readonly AcceptedEvent[], receivedAt: number, keepAlive: KeepAlive): Promise<AppendResult> {
    const result = new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ site, events, receivedAt, batchId: newBatchId(), resolve, reject });
    });
    if (!this.draining) {
      // The request that starts the loop keeps it alive until the queue is empty, since later
      // groups run their I/O in its context.
      this.draining = this.drain();
      keepAlive.waitUntil(this.draining);
    }
    return result;
  }

  /** Resolves once everything appended so far is committed and applied. */
  async settled(): Promise<void> {
    await this.draining;
    await this.applying;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const committed = await this.commit(this.queue.splice(0));
        if (committed.length > 0) {
          this.toApply.push(...committed);
          this.applying ??= this.apply();
        }
      }
    } finally {
      this.draining = null;
    }
    // Stay alive while the batches this loop committed are applied.
    await this.applying;
  }

  /** Applies what was committed; under load each round takes many requests' batches together
   * per site (one pipeline run), so profile and rollup statements run once per round, not once per request. */
  private async apply(): Promise<void> {
    try {
      while (this.toApply.length > 0) {
        if (this.queue.length > 0 && pendingEvents(this.toApply) < APPLY_ROUND_EVENTS) await new Promise((r) => setTimeout(r, APPLY_GATHER_MS));
        await applyBatches(this.db, this.toApply.splice(0, batchesUpTo(this.toApply, APPLY_ROUND_EVENTS))).catch((err) => console.error('batch processing left to the sweep', err));
      }
    } finally {
      this.applying = null;
    }
  }

  private async commit(group: PendingAppend[]): Promise<StoredBatch[]> {
    try {
      // An id twice in one request is one event: the first is kept (as the INSERT would).
      const uniques = group.map(({ events }) => {
        const seen = new Set<string>();
        return events.filter((e) => !seen.has(e.id) && seen.add(e.id));
      });
      const results = await this.db.batch(
        group.flatMap(({ site, receivedAt, batchId }, i) => [
          this.db.prepare(INSERT_EVENTS).bind(site, receivedAt, batchId, JSON.stringify(uniques[i])),
          this.db.prepare(INSERT_IDS).bind(site, receivedAt, batchId, JSON.stringify(uniques[i]!.map((e) => e.id))),
          this.db.prepare(INSERT_BATCH).bind(site, receivedAt, batchId),
        ]),
      );
      // The pipeline is handed the events each append stored, once each, from memory: all of them
      // when the INSERT stored as many rows as the append had ids, else those its batch id names.
      const counts = group.map((_, i) => results[i * 3]!.meta.changes);
      const overlapping = counts.flatMap((n, i) => (n > 0 && n < uniques[i]!.length ? [i] : []));
      // Should this read fail, the group is refused though stored: its senders resend (answered as
      // duplicates) and the cron sweep applies the registered batches.
      const readBack = overlapping.length === 0 ? [] : await this.db.batch(overlapping.map((i) => this.db.prepare(STORED_IDS).bind(group[i]!.site, group[i]!.receivedAt, group[i]!.batchId)));
      const storedIdsOf = new Map(overlapping.map((i, k) => [i, new Set((readBack[k]!.results as { id: string }[]).map((row) => row.id))]));
      const committed: StoredBatch[] = [];
      group.forEach((pending, i) => {
        const ids = storedIdsOf.get(i);
        const events = counts[i] === 0 ? [] : ids ? uniques[i]!.filter((e) => ids.has(e.id)) : uniques[i]!;
        if (events.length > 0) committed.push({ id: pending.batchId, site: pending.site, events });
        pending.resolve({ inserted: events.length, duplicates: pending.events.length - events.length });
      });
      return committed;
    } catch (err) {
      for (const pending of group) pending.reject(err);
      return [];
    }
  }
}

const writers = new WeakMap<D1Database, D1EventWriter>();

/** The isolate's writer for a database: one queue per database is what makes group commit work. */
export function eventWriterFor(db: D1Database): D1EventWriter {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new D1EventWriter(db)));
  return writer;
}
