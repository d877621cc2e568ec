import type { AcceptedEvent, AppendResult, EventWriter } from './event-writer';

/** One multi-row INSERT for the whole batch: the events travel as one JSON parameter and
 * json_each unpacks them inside SQLite, so a 100-event batch is a single statement and stays
 * under D1's 100-bound-parameter limit. The event id is the key, so retries insert nothing. */
const INSERT_EVENTS = `
INSERT INTO events (site, id, name, ts, client_ts, received_at, anon_id, user_id, session_id, url, props, batch_id)
SELECT ?1, e.value ->> '$.id', e.value ->> '$.name', e.value ->> '$.ts', e.value ->> '$.client_ts', ?2,
       e.value ->> '$.anon_id', e.value ->> '$.user_id', e.value ->> '$.session_id', e.value ->> '$.url',
       e.value ->> '$.props', ?3
FROM json_each(?4) AS e
WHERE true
ON CONFLICT (site, id) DO NOTHING`;

/** Registered in the same transaction, only if this batch stored something new. */
const INSERT_BATCH = `
INSERT INTO ingest_batches (id, site, received_at)
SELECT ?3, ?1, ?2 WHERE EXISTS (SELECT 1 FROM events WHERE batch_id = ?3)`;

export class D1EventWriter implements EventWriter {
  constructor(private readonly db: D1Database) {}

  async append(site: string, events: readonly AcceptedEvent[], receivedAt: number): Promise<AppendResult> {
    const batchId = crypto.randomUUID();
    const [inserted] = await this.db.batch([
      this.db.prepare(INSERT_EVENTS).bind(site, receivedAt, batchId, JSON.stringify(events)),
      this.db.prepare(INSERT_BATCH).bind(site, receivedAt, batchId),
    ]);
    const count = inserted?.meta.changes ?? 0;
    return { batchId: count > 0 ? batchId : null, inserted: count, duplicates: events.length - count };
  }
}
