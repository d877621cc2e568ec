/** How the outbox talks to the collector, as pure functions: what goes in one request, how long
 * to wait before a retry, and what a response means for the events it carried. */
import type { TrackedEvent } from '../edge/contract';

/** Copies of edge/contract LIMITS (values cannot be imported type-only; a unit test keeps them equal). */
export const BODY_BYTES = 64 * 1024;
export const EVENTS_PER_BATCH = 100;
export const MAX_EVENT_AGE_MS = 30 * 24 * 60 * 60 * 1000;
/** Stored events kept at most; past it the oldest are dropped (weeks offline must not fill the disk). */
export const QUEUE_CAP = 1000;

const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 5 * 60 * 1000;
/** Room for the envelope and multi-byte slack under the collector's body limit. */
const BODY_BUDGET = BODY_BYTES - 1024;

/** Exponential backoff with jitter: attempt 0 waits 0.5-1 s, doubling up to 2.5-5 minutes. */
export function backoffMs(attempt: number, random = Math.random()): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt) * (0.5 + random / 2);
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now (0 when absent or past). */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number {
  if (!header) return 0;
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - now;
  return ms > 0 ? Math.min(ms, 3_600_000) : 0;
}

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text).length;

export interface Batch {
  events: TrackedEvent[];
  body: string;
}

/** Splits events into collect bodies of at most `max` events and under the body limit. An event
 * too large on its own still gets a batch: the collector answers 413 and the outbox drops it. */
export function toBatches(site: string, events: TrackedEvent[], now: number, max = EVENTS_PER_BATCH): Batch[] {
  const head = `{"site":${JSON.stringify(site)},"sent_at":${now},"events":[`;
  const groups: { events: TrackedEvent[]; json: string[]; size: number }[] = [];
  for (const event of events) {
    const json = JSON.stringify(event);
    const size = bytes(json) + 1;
    let group = groups[groups.length - 1];
    if (!group || group.size + size > BODY_BUDGET || group.events.length >= max) groups.push((group = { events: [], json: [], size: head.length + 2 }));
    group.events.push(event);
    group.json.push(json);
    group.size += size;
  }
  return groups.map(({ events, json }) => ({ events, body: head + json.join() + ']}' }));
}

/** Orders stored events oldest first and splits off what must go: events the collector would
 * refuse as too old, then the oldest beyond the cap. */
export function trimQueue<E extends { ts: number; seq?: number }>(events: E[], now: number, cap = QUEUE_CAP): { keep: E[]; drop: E[] } {
  // In the order they happened, so batches go in that order: the browser's count, or time for events stored before there was one (NaN).
  const sorted = [...events].sort((a, b) => a.seq! - b.seq! || a.ts - b.ts);
  const fresh = sorted.findIndex((event) => now - event.ts < MAX_EVENT_AGE_MS - 60_000);
  const start = Math.max(fresh < 0 ? sorted.length : fresh, sorted.length - cap);
  return { keep: sorted.slice(start), drop: sorted.slice(0, start) };
}

/** What a collect response (status 0: none, a network failure) means for the batch it answered:
 * `done` removes it (delivered; rejected events are poison and go too; any other 4xx is refused
 * for good), `split` sends smaller batches (413), a number retries after that many ms. */
export function outcome(status: number, retryAfter: string | null | undefined, attempt: number): 'done' | 'split' | number {
  if (status == 413) return 'split';
  if (status && status < 500 && status != 408 && status != 429) return 'done';
  return Math.max(backoffMs(attempt), retryAfterMs(retryAfter));
}
