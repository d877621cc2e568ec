import type { AppContext } from '../env';
import { D1EventWriter } from '../store/d1-event-writer';
import type { AcceptedEvent, AppendResult } from '../store/event-writer';
import { processBatch } from './process-batch';

/** Stores accepted events exactly once, then applies the new batch to profiles and rollups in
 * waitUntil (the cron sweep retries it if that does not finish). Browser and server-side events
 * both come through here. */
export async function storeEvents(c: AppContext, site: string, events: readonly AcceptedEvent[], receivedAt: number): Promise<AppendResult> {
  if (events.length === 0) return { batchId: null, inserted: 0, duplicates: 0 };
  const stored = await new D1EventWriter(c.env.DB).append(site, events, receivedAt);
  if (stored.batchId) {
    c.executionCtx.waitUntil(processBatch(c.env.DB, stored.batchId, site).catch((err) => console.error('batch processing deferred to the sweep', err)));
  }
  return stored;
}
