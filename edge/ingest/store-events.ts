import type { AppContext } from '../env';
import { ApiError } from '../lib/api-error';
import { eventWriterFor } from '../store/d1-event-writer';
import type { AcceptedEvent, AppendResult } from '../store/event-writer';
import { siteDbById } from '../sites/site-database';
import { enqueueEvents } from './queue-producer';

export interface StoreOutcome extends AppendResult {
  /** Queue mode: the events are on the ingest queue, durable there, and stored by its consumer. */
  queued?: true;
}

/** Stores accepted events exactly once. Browser and server-side events both come through here.
 * Direct mode: through the isolate's writer (group commit), which then applies the new batch to
 * profiles and rollups in waitUntil; the cron sweep retries what does not finish.
 * Queue mode (an INGEST_QUEUE binding): onto the queue, answered once the send has resolved; the
 * consumer (edge/ingest/queue-consumer.ts) writes through the same writer. Only repeats within the
 * request are known here, so `duplicates` counts those alone. */
export async function storeEvents(c: AppContext, site: string, events: readonly AcceptedEvent[], receivedAt: number): Promise<StoreOutcome> {
  if (events.length === 0) return { inserted: 0, duplicates: 0 };
  const queue = c.env.INGEST_QUEUE;
  if (queue) {
    const seen = new Set<string>();
    const unique = events.filter((e) => !seen.has(e.id) && seen.add(e.id));
    try {
      await enqueueEvents(queue, site, unique, receivedAt);
    } catch (err) {
      console.error('ingest queue send failed', err);
      throw new ApiError(503, 'queue_unavailable', 'The events could not be queued for storage. Send the batch again; events already queued are stored once.', { 'Retry-After': '5' });
    }
    return { inserted: unique.length, duplicates: events.length - unique.length, queued: true };
  }
  return eventWriterFor(await siteDbById(c.env, site)).append(site, events, receivedAt, c.executionCtx);
}
