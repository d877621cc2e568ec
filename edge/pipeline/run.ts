import type { AcceptedEvent } from '../contract/accepted-event';
import type { PipelineBatch, PipelineStep } from './batch';
import { boundLimit } from '../lib/sql-limit';
import { POST_INGEST_STEPS } from './steps';

/** After events are durable, the post-ingest pipeline (POST_INGEST_STEPS, in order) applies them to
 * identity links, profiles, widget history, recommendation aggregates, report rollups and review
 * webhooks. It runs after the answer (the writer's waitUntil), and the cron sweep retries any
 * batch whose run did not finish, so nothing is lost. Exactly once comes from a claim token: the
 * first statement of the transaction claims the batches (all of them or none), and every step
 * statement is guarded by that claim, so a second run racing for the same batches changes nothing.
 * Several batches of a site go through in one transaction, because under load a D1 round trip
 * costs more than the statements in it. */

/** A stored batch and the events it added (those already stored before are left out). */
export interface StoredBatch {
  id: string;
  site: string;
  events: readonly AcceptedEvent[];
}

/** Claims every batch of `ids` that is still unprocessed — only if none of them was taken yet. The
 * count is an uncorrelated subquery, so SQLite evaluates it once, before the first row changes. */
const CLAIM = `
UPDATE ingest_batches SET processed_at = ?1, claim = ?2
WHERE id IN (SELECT value FROM json_each(?3))
  AND (SELECT count(*) FROM ingest_batches WHERE id IN (SELECT value FROM json_each(?3)) AND processed_at IS NULL) = json_array_length(?3)`;

/** Applies `batches` (all of one site) in one transaction. Returns how many batches it claimed:
 * all of them, or 0 when another run holds any of them. */
export async function runPipeline(db: D1Database, batches: readonly StoredBatch[], now = Date.now(), steps: readonly PipelineStep[] = POST_INGEST_STEPS): Promise<number> {
  const first = batches[0];
  if (!first) return 0;
  if (batches.some((b) => b.site !== first.site)) throw new Error('runPipeline: batches of one site only');
  const token = crypto.randomUUID();
  const events = batches.flatMap((b) => b.events);
  const batch: PipelineBatch = {
    id: first.id,
    site: first.site,
    events,
    claimed: 'EXISTS (SELECT 1 FROM ingest_batches WHERE id = ? AND claim = ?)',
    claimParams: [first.id, token],
    now,
  };
  const work = events.length > 0 ? await Promise.all(steps.map((step) => step.statements(db, batch))) : [];
  const ids = JSON.stringify(batches.map((b) => b.id));
  const [claim] = await db.batch([
    db.prepare(CLAIM).bind(now, token, ids),
    ...work.flat(),
    // Applied: the bookkeeping goes in the same transaction (a racing run finds no row to claim).
    db.prepare('DELETE FROM ingest_batches WHERE id IN (SELECT value FROM json_each(?1)) AND claim = ?2').bind(ids, token),
  ]);
  return claim?.meta.changes ?? 0;
}

/** Applies committed batches: per site, together; a group that lost the race for any of its
 * batches is retried one batch at a time, so the ones still free are applied now. Returns how many
 * batches were applied. */
export async function applyBatches(db: D1Database, batches: readonly StoredBatch[], now = Date.now()): Promise<number> {
  const bySite = new Map<string, StoredBatch[]>();
  for (const batch of batches) bySite.set(batch.site, [...(bySite.get(batch.site) ?? []), batch]);
  let applied = 0;
  for (const group of bySite.values()) {
    const claimed = await runPipeline(db, group, now);
    if (claimed > 0 || group.length === 1) applied += claimed;
    else for (const one of group) applied += await runPipeline(db, [one], now);
  }
  return applied;
}

export interface BatchRef {
  id: string;
  site: string;
  received_at: number;
}

/** Columns of an AcceptedEvent, as the events table holds them. */
const EVENT_COLUMNS = 'id, name, ts, client_ts, anon_id, user_id, session_id, seq, url, props';

/** Applies batches known only by id (the sweep's case): their events are read back once, then go
 * through the same pipeline as after collect. */
export async function applyStoredBatches(db: D1Database, refs: readonly BatchRef[], now = Date.now()): Promise<number> {
  if (refs.length === 0) return 0;
  // A batch's events share its site and received_at: events_by_arrival finds them.
  const { results } = await db
    .prepare(
      `SELECT e.batch_id, ${EVENT_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')}
       FROM json_each(?1) r JOIN events e ON e.site = (r.value ->> '$.site') AND e.received_at = (r.value ->> '$.received_at') AND e.batch_id = (r.value ->> '$.id')`,
    )
    .bind(JSON.stringify(refs))
    .all<AcceptedEvent & { batch_id: string }>();
  const byBatch = new Map<string, AcceptedEvent[]>(refs.map((r) => [r.id, []]));
  for (const { batch_id, ...event } of results) byBatch.get(batch_id)?.push(event);
  return applyBatches(db, refs.map((ref) => ({ ...ref, events: byBatch.get(ref.id) ?? [] })), now);
}

/** Batches older than this without processed_at are taken to have lost their waitUntil. */
const SWEEP_AFTER_MS = 30_000;

/** The cron's share: applies batches whose run after collect never finished. */
export async function sweepPendingBatches(db: D1Database, now = Date.now(), limit = 200): Promise<number> {
  const { results } = await db
    .prepare(`SELECT id, site, received_at FROM ingest_batches WHERE processed_at IS NULL AND received_at < ? ORDER BY received_at LIMIT ${boundLimit('?')}`)
    .bind(now - SWEEP_AFTER_MS, limit)
    .all<BatchRef>();
  return applyStoredBatches(db, results, now);
}
