import type { AppContext } from '../env';
import { eventWriterFor } from '../store/d1-event-writer';
import type { AcceptedEvent, AppendResult } from '../store/event-writer';
import { siteDbById } from '../sites/site-database';

/** Stores accepted events exactly once through the isolate's writer (group commit); the writer
 * then applies the new batch to profiles and rollups in waitUntil, and the cron sweep retries
 * what does not finish. Browser and server-side events both come through here. */
export async function storeEvents(c: AppContext, site: string, events: readonly AcceptedEvent[], receivedAt: number): Promise<AppendResult> {
  if (events.length === 0) return { inserted: 0, duplicates: 0 };
  return eventWriterFor(await siteDbById(c.env, site)).append(site, events, receivedAt, c.executionCtx);
}
