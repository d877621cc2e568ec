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

/** Messages of a delivered batch stored together in one writer transaction. */
const MESSAGES_PER_COMMIT = 10;

/** Backoff for a message whose store failed: 5 s, 10 s, 20 s … up to 5 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(5 * 2 ** Math.max(0, attempts - 1), 300);
}

/**
 * Stores a batch of ingest messages through the same writer collect uses in direct mode, one
 * message at a time as far as the outcome goes: each is acked once its events are durable, or
 * retried with backoff on its own, so one bad message never holds back the rest. Delivery is at
 * least once; storage is exactly once because the writer skips event ids it already holds. A body
 * that is not an ingest message goes straight to the dead-letter table with its reason.
 *
 * Events are stored with the consumer's own time as `received_at` (the message keeps collect's
 * time): the archive reads the event log in arrival order, and a message retried for minutes must
 * not land behind a day it has already archived.
 */
export async function consumeIngestBatch(batch: MessageBatch<unknown>, env: Env, keepAlive: KeepAlive, now = Date.now()): Promise<void> {
  const storedBySite = new Map<string, { db: D1Database; events: AcceptedEvent[] }>();
  const storeOne = async (msg: Message<unknown>) => {
    try {
      const read = readIngestMessage(msg.body);
      if ('reason' in read) {
        await park(env, msg, read.reason, now);
      } else {
        const { site, events } = read.message;
        // The site's own database when it is pinned to one (README, "A database per shop").
        const db = await siteDbById(env, site);
        const { inserted } = await eventWriterFor(db).append(site, events, now, keepAlive);
        if (inserted > 0) storedBySite.set(site, { db, events: [...(storedBySite.get(site)?.events ?? []), ...events] });
      }
      msg.ack();
    } catch (err) {
      console.error(`ingest message ${msg.id} (attempt ${msg.attempts}) left for a retry`, err);
      msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
    }
  };
  // A slice at a time: each slice is one group commit, and the worker's other requests (collect
  // in the same isolate) get their turn between slices instead of waiting behind one transaction
  // holding a whole batch.
  for (let i = 0; i < batch.messages.length; i += MESSAGES_PER_COMMIT) await Promise.all(batch.messages.slice(i, i + MESSAGES_PER_COMMIT).map(storeOne));
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
