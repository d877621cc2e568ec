/** The outbox: events are in the store before any send (the tracker commits them there), go in
 * batches, are retried until the collector acknowledges them, and only then removed. Exactly-once storage comes from
 * the collector's dedupe by event id, so every path here may resend but none may lose. A page
 * view goes the moment it is committed, by the tab that recorded it and without the claim: the
 * claim only keeps tabs from sending the shared store twice, and a resend is harmless. */
import type { ApiError, CollectResult, TrackedEvent } from '../edge/contract';

type CollectAnswer = Partial<CollectResult & ApiError> | null;
import { EVENTS_PER_BATCH, outcome, toBatches, trimQueue, type Batch } from './delivery';
import { newId } from './ids';
import { report } from './report';
import type { EventStore } from './store';

/** Events wait this long for company before a batch goes (page_view + view_item in one request). */
export const BATCH_DELAY_MS = 1000;
/** This many unsent events go at once. */
const BATCH_NOW = 20;
const REQUEST_TIMEOUT_MS = 30_000;
/** How long a tab's claim on sending lasts; renewed with every batch, released when it is done. */
export const CLAIM_MS = 10_000;

export interface OutboxOptions {
  site: string;
  endpoint: string;
  store: EventStore;
  /** Whether consent lets analytics events leave the browser now (necessary ones always may). */
  analytics(): boolean;
}

export interface Outbox {
  /** Events this tab just stored: they go with whatever else the store holds (earlier pages', other tabs'). */
  added(events: TrackedEvent[]): void;
  /** Sends after `delayMs` (at once for 0), but never before a retry's backoff is over. */
  schedule(delayMs: number): void;
  /** The network is back: forget the backoff and send. */
  resume(): void;
  /** A refusal: removes every stored event but the necessary ones, so they never leave the browser. */
  discard(): void;
  /** The page is going away: this tab's unacknowledged events (and `also`) go by sendBeacon. */
  beacon(also: TrackedEvent[]): void;
}

/** The record of a consent choice is necessary: it is sent whatever the choice was. */
export const isNecessary = (event: TrackedEvent): boolean => event.name == 'consent_update';

export function createOutbox({ site, endpoint, store, analytics }: OutboxOptions): Outbox {
  // The neutral alias of /v1/collect (first-party serving). An automated browser says so: the
  // collector's traffic filter keeps its events out of profiles and reports, and counts them.
  const url = `${endpoint}/v1/inbox${navigator.webdriver ? '?webdriver=1' : ''}`;
  const tab = newId();
  /** This tab's events not yet acknowledged: what a pagehide beacon carries. */
  const live = new Map<string, TrackedEvent>();
  const inFlight = new Set<string>();
  /** This tab's store writes and deletes, in order. */
  let chain: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let due = 0;
  let notBefore = 0;
  let attempt = 0;
  let maxBatch = EVENTS_PER_BATCH;
  let sending = false;
  let again = false;

  const serial = (op: () => Promise<unknown>) => (chain = chain.then(op).catch(report));
  const sendable = () => {
    const all = analytics();
    return (event: TrackedEvent) => all || isNecessary(event);
  };
  const remove = async (events: TrackedEvent[], release?: boolean) => {
    const ids = events.map((event) => event.id);
    if (ids[0] || release) await store.del(ids, release);
    ids.forEach((id) => live.delete(id));
  };

  const schedule = (delayMs: number) => {
    const now = Date.now();
    const at = Math.max(now + delayMs, notBefore);
    if (timer && due <= at) return;
    clearTimeout(timer);
    timer = undefined;
    if (at > now) {
      due = at;
      timer = setTimeout(() => {
        timer = undefined;
        void flush();
      }, at - now);
    } else void flush();
  };

  /** Sends the store's events; what does not go through is left to the next flush. */
  async function flush() {
    if (sending) {
      again = true;
      return;
    }
    sending = true;
    try {
      await chain;
      await sendAll();
    } catch (err) {
      report(err);
    }
    sending = false;
    if (again) {
      again = false;
      schedule(0);
    }
  }

  async function sendAll() {
    for (;;) {
      const now = Date.now();
      // One tab sends at a time (its claim); the others' events are in the shared store and go in its batches.
      const stored = await store.events({ tab, until: now + CLAIM_MS });
      // Another tab's claim: look again shortly (it releases its claim when done, or the lease ends).
      if (typeof stored == 'number') return schedule(BATCH_DELAY_MS);
      const { keep, drop } = trimQueue(stored, now);
      await remove(drop);
      const batches = toBatches(site, keep.filter(sendable()), now, maxBatch);
      const batch = batches[0];
      if (!batch) return store.del([], true);
      const { status, body, retryAfter } = await post(batch);
      const result = outcome(status, retryAfter, attempt);
      if (typeof result == 'number') {
        attempt++;
        notBefore = Date.now() + result;
        again = false;
        clearTimeout(timer);
        timer = undefined;
        return schedule(0);
      }
      attempt = 0;
      if (result == 'split' && batch.events.length > 1) {
        maxBatch = Math.ceil(batch.events.length / 2);
        continue;
      }
      // Delivered, or refused for good: acknowledged events and poison alike leave the store.
      const problem = status > 299 ? body?.error?.message || status : body?.rejected?.[0]?.reason;
      if (problem) report('refused: ' + problem);
      // Events stored meanwhile schedule their own send; read the store again only for known leftovers.
      await remove(batch.events, !batches[1]);
      if (!batches[1]) return;
    }
  }

  /** Posts one batch; status 0 when no response came. */
  async function post(batch: Batch): Promise<{ status: number; body?: CollectAnswer; retryAfter?: string | null }> {
    batch.events.forEach((event) => inFlight.add(event.id));
    try {
      const response = await fetch(url, {
        method: 'POST',
        body: batch.body, // a string body goes as text/plain: no CORS preflight
        keepalive: true,
        credentials: 'omit',
        signal: AbortSignal.timeout?.(REQUEST_TIMEOUT_MS),
      });
      return { status: response.status, body: await response.json().catch(() => null), retryAfter: response.headers.get('Retry-After') };
    } catch {
      return { status: 0 };
    } finally {
      batch.events.forEach((event) => inFlight.delete(event.id));
    }
  }

  return {
    added(events) {
      events.forEach((event) => live.set(event.id, event));
      // Every send goes from the store under the claim, in order: a page view sent on its own beside
      // a claimed batch let the server apply a page's cart events out of order (compat-datalayers).
      schedule(live.size >= BATCH_NOW ? 0 : BATCH_DELAY_MS);
    },
    schedule,
    resume() {
      attempt = notBefore = 0;
      schedule(0);
    },
    discard() {
      void serial(async () => remove(((await store.events()) as TrackedEvent[]).filter((event) => !isNecessary(event))));
    },
    beacon(also) {
      const events = [...live.values(), ...also].filter(sendable()).filter((event) => !inFlight.has(event.id));
      for (const { body } of toBatches(site, events, Date.now())) navigator.sendBeacon?.(url, body);
    },
  };
}
