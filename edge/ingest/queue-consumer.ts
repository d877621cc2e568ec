import type { AcceptedEvent } from '../contract';
import type { Bindings } from '../env';
import { eventWriterFor } from '../store/d1-event-writer';
import { getSite } from '../sites/site-registry';
import { siteDb, siteDbById } from '../sites/site-database';
import type { KeepAlive } from '../store/event-writer';
import { sendWebhooksOnceApplied } from './after-store';
import { bodyText, parkMessage, readIngestMessage, siteOf } from './dead-letters';

type Env = Pick<Bindings, 'DB' | 'KV' | 'ALLOW_LOCAL_WEBHOOKS'>;

/** Where a message is parked: under its site in the site's database when it names a registered
 * site (that site's admin lists it), else with no site in the shared one (the operator lists
 * those: GET /v1/admin/dead-letters). */
async function parkingPlace(env: Env, body: unknown): Promise<{ db: D1Database; site: string | null }> {
  const named = siteOf(body);
  const settings = named ? await getSite(env.KV, named) : null;
  return settings ? { db: siteDb(env, settings), site: settings.id } : { db: env.DB, site: null };
}

async function park(env: Env, msg: Message<unknown>, reason: string, now: number): Promise<void> {
  const { db, site } = await parkingPlace(env, msg.body);
  await parkMessage(db, { message_id: msg.id, site, reason, body: bodyText(msg.body), attempts: msg.attempts, received_at: msg.timestamp.getTime() }, now);
}
/** The dead-letter queue is told apart by its name (wrangler.queue.toml: `<ingest queue>-dlq`). */
export function isDeadLetterQueue(queueName: string): boolean {
  return queueName.endsWith('-dlq');
}

/** Events of a delivered batch stored, and then applied to profiles and rollups, together (whole
 * messages, at least one): about 10 ms of D1 work, the longest any of the consumer's statements
 * holds the database. */
const EVENTS_PER_SLICE = 60;
/** After each slice the consumer steps aside this long, so requests that arrived meanwhile (collect
 * in the same isolate) run to their answer instead of taking turns with the consumer's next
 * statements. Locally (wrangler dev, the vitest plugin) the worker, its D1 and the queue broker
 * share one thread, and a collect request needs several turns of it. */
const STEP_ASIDE_MS = 5;

/** How many events a message says it carries, before it is validated (in its slice: validating a
 * whole delivery at once would hold the thread as long as a slice's statements). */
function claimedEvents(body: unknown): number {
  const events = body !== null && typeof body === 'object' ? (body as { events?: unknown }).events : undefined;
  return Array.isArray(events) ? events.length : 0;
}

/** Consecutive messages of up to EVENTS_PER_SLICE events (a bigger message makes a slice alone). */
function slicesOf(messages: readonly Message<unknown>[]): Message<unknown>[][] {
  const slices: Message<unknown>[][] = [];
  let current: Message<unknown>[] = [];
  let events = 0;
  for (const m of messages) {
    const size = claimedEvents(m.body);
    if (current.length > 0 && events + size > EVENTS_PER_SLICE) {
      slices.push(current);
      current = [];
      events = 0;
    }
    current.push(m);
    events += size;
  }
  if (current.length > 0) slices.push(current);
  return slices;
}

/** Backoff for a message whose store failed: 5 s, 10 s, 20 s … up to 5 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(5 * 2 ** Math.max(0, attempts - 1), 300);
}

/**
 * Stores a batch of ingest messages through the same writer collect uses in direct mode. Each
 * message is acked once its events are durable and applied, or retried with backoff, so a message
 * that cannot be stored never holds back those of other sites or later slices. Delivery is at least
 * once; storage is exactly once because the writer skips event ids it already holds. A body that
 * is not an ingest message goes straight to the dead-letter table with its reason.
 *
 * A slice's messages of one site go to the writer as one append: one commit and one pipeline round,
 * as a group commit of them would be (all or nothing), without the writer's wait for more appends
 * to gather. A slice's events stay far under D1's 2 MB per value (a message is at most 124 KB).
 *
 * Events are stored with the consumer's own time as `received_at` (the message keeps collect's
 * time): the archive reads the event log in arrival order, and a message retried for minutes must
 * not land behind a day it has already archived.
 */
export async function consumeIngestBatch(batch: MessageBatch<unknown>, env: Env, keepAlive: KeepAlive, now = Date.now()): Promise<void> {
  const storedBySite = new Map<string, { db: D1Database; events: AcceptedEvent[] }>();
  const retry = (msg: Message<unknown>, err: unknown) => {
    console.error(`ingest message ${msg.id} (attempt ${msg.attempts}) left for a retry`, err);
    msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
  };
  const parkOne = async (msg: Message<unknown>, reason: string) => {
    try {
      await park(env, msg, reason, now);
      msg.ack();
    } catch (err) {
      retry(msg, err);
    }
  };
  const storeSite = async (site: string, messages: readonly Message<unknown>[], events: AcceptedEvent[]) => {
    try {
      // The site's own database when it is pinned to one (README, "A database per shop").
      const db = await siteDbById(env, site);
      const writer = eventWriterFor(db);
      const { inserted } = await writer.append(site, events, now, keepAlive);
      await writer.settled();
      if (inserted > 0) storedBySite.set(site, { db, events: [...(storedBySite.get(site)?.events ?? []), ...events] });
      for (const msg of messages) msg.ack();
    } catch (err) {
      for (const msg of messages) retry(msg, err);
    }
  };
  // A slice at a time, stored and applied before the next: no statement of the consumer's holds D1
  // for long, and the worker's other requests get the thread between slices instead of waiting
  // behind a whole batch's transactions.
  const slices = slicesOf(batch.messages);
  for (const [i, slice] of slices.entries()) {
    const bySite = new Map<string, { messages: Message<unknown>[]; events: AcceptedEvent[] }>();
    const work: Promise<void>[] = [];
    for (const msg of slice) {
      const read = readIngestMessage(msg.body);
      if ('reason' in read) {
        work.push(parkOne(msg, read.reason));
        continue;
      }
      const { site, events } = read.message;
      const group = bySite.get(site) ?? { messages: [], events: [] };
      group.messages.push(msg);
      group.events.push(...events);
      bySite.set(site, group);
    }
    for (const [site, { messages, events }] of bySite) work.push(storeSite(site, messages, events));
    await Promise.all(work);
    if (i < slices.length - 1) await new Promise((resolve) => setTimeout(resolve, STEP_ASIDE_MS));
  }
  for (const [site, { db, events }] of storedBySite) sendWebhooksOnceApplied(env, db, keepAlive, site, events);
}

/** The dead-letter queue's consumer: messages the ingest consumer retried until the queue gave up
 * are parked in D1 for the admin to see and replay. */
export async function parkUndeliveredBatch(batch: MessageBatch<unknown>, env: Env, now = Date.now()): Promise<void> {
  await Promise.all(
    batch.messages.map(async (msg) => {
      const read = readIngestMessage(msg.body);
      const reason = 'reason' in read ? read.reason : 'retries_exhausted: the consumer could not store it within the queue\'s max_retries (the worker log has each attempt\'s error)';
      try {
        await park(env, msg, reason, now);
        msg.ack();
      } catch (err) {
        console.error(`dead letter ${msg.id} not parked yet`, err);
        msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
      }
    }),
  );
}
