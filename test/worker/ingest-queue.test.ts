import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { DeadLetterDiscard, DeadLetterReplay, DeadLetters, type AcceptedEvent, type IngestMessageT } from '../../edge/contract';
import worker from '../../edge/index';
import { sweepPendingBatches } from '../../edge/pipeline/run';
import { ingestMessages, QUEUE_LIMITS } from '../../edge/ingest/queue-producer';
import { retryDelaySeconds } from '../../edge/ingest/queue-consumer';
import { batchOf, countEvents, createSite, makeEvent, OPERATOR_TOKEN, postCollect, send } from './helpers';

// Queue mode (wrangler.queue.toml, vitest project 'worker-queue'): collect sends to the real local
// queue and the worker's own consumer stores; the handler alone is driven with createMessageBatch.

const INGEST = 'touchpoint-ingest';
const DEAD_LETTERS = 'touchpoint-ingest-dlq';

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function profileOf(site: string, anon: string) {
  return env.DB.prepare('SELECT page_views, sessions FROM profiles WHERE site = ?1 AND visitor_id = ?2').bind(site, `a:${anon}`).first<{ page_views: number; sessions: number }>();
}

async function pendingBatches(site: string): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM ingest_batches WHERE site = ?1').bind(site).first<{ n: number }>())!.n;
}

function accepted(anon: string, i: number, now = Date.now()): AcceptedEvent {
  return { id: `q-${crypto.randomUUID()}`, name: 'page_view', ts: now - 1000 + i, client_ts: now - 1000 + i, anon_id: anon, user_id: null, session_id: `s-${anon}`, seq: i, url: `https://shop.example/p/${i}`, props: '{"title":"Home"}' };
}

function message(site: string, events: AcceptedEvent[]): IngestMessageT {
  return { v: 1, site, received_at: Date.now(), events };
}

let messageCounter = 0;
/** Runs the queue handler alone on one delivery; returns what it acked and retried. */
async function deliver(queue: string, bodies: unknown[], { attempts = 1, bindings = env, ids }: { attempts?: number; bindings?: typeof env; ids?: string[] } = {}) {
  const batch = createMessageBatch(queue, bodies.map((body, i) => ({ id: ids?.[i] ?? `msg-${++messageCounter}`, timestamp: new Date(), attempts, body })));
  // getQueueResult leaves out a retry's delay: record it on the way through.
  const delays = new Map<string, number | undefined>();
  const messages = batch.messages.map((m) => new Proxy(m, {
    get(target, prop) {
      if (prop === 'retry') return (options?: QueueRetryOptions) => (delays.set(target.id, options?.delaySeconds), target.retry(options));
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }));
  const ctx = createExecutionContext();
  await worker.queue({ ...batch, queue: batch.queue, messages, ackAll: () => batch.ackAll(), retryAll: (o?: QueueRetryOptions) => batch.retryAll(o) }, bindings, ctx);
  const result = await getQueueResult(batch, ctx);
  return { ...result, retryMessages: result.retryMessages.map((r) => ({ msgId: r.msgId, delaySeconds: delays.get(r.msgId) })) };
}

/** env with a D1 binding whose first batch() fails: before anything commits, or after committing
 * (the answer is lost on the way back). A fault of the platform, injected at its binding. */
function failingFirstBatch(when: 'before-commit' | 'after-commit'): typeof env {
  let failed = false;
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          if (failed) return target.batch(statements);
          failed = true;
          if (when === 'after-commit') await target.batch(statements);
          throw new Error('D1_ERROR: injected failure');
        };
      }
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { ...env, DB: db };
}

const admin = (site: string, path: string, init: RequestInit = {}, token = OPERATOR_TOKEN) =>
  send(`/v1/admin/sites/${site}/dead-letters${path}`, { ...init, headers: { Authorization: `Bearer ${token}` } });

describe('ingest through the queue', () => {
  it('collect validates as in direct mode, answers 202 once queued, and the consumer stores every event once and applies it', async () => {
    const site = await createSite();
    const anon = 'anon-queue-e2e';
    const events = Array.from({ length: 30 }, (_, i) => makeEvent({ anon_id: anon, session_id: 'sess-queue-1', url: `https://shop.example/q/${i}` }));
    const first = await postCollect(batchOf(site.id, [...events.slice(0, 20), { name: 'page_view' }]));
    expect(first.status).toBe(202);
    const body = (await first.json()) as { accepted: number; rejected: { index: number; reason: string }[]; queued?: boolean };
    expect(body, JSON.stringify(body)).toMatchObject({ accepted: 20, queued: true });
    expect(body.rejected.map((r) => r.index)).toEqual([20]);
    // The same ids again (an SDK retry) and the rest: still each event once.
    expect((await postCollect(batchOf(site.id, events.slice(10)))).status).toBe(202);

    expect(await until(() => countEvents(site.id), (n) => n >= 30)).toBe(30);
    await until(() => pendingBatches(site.id), (n) => n === 0);
    expect(await pendingBatches(site.id)).toBe(0);
    expect(await profileOf(site.id, anon)).toEqual({ page_views: 30, sessions: 1 });
    // Nothing more arrives later (a redelivery would show up as a second row).
    await new Promise((r) => setTimeout(r, 1500));
    expect(await countEvents(site.id)).toBe(30);
  });

  it('stores a message delivered twice once, and counts it in the profile once', async () => {
    const site = await createSite();
    const body = message(site.id, [accepted('anon-twice', 1), accepted('anon-twice', 2)]);
    const first = await deliver(INGEST, [body, body]);
    expect(first.explicitAcks).toHaveLength(2);
    const again = await deliver(INGEST, [body], { attempts: 2 });
    expect(again.explicitAcks).toHaveLength(1);
    expect(await countEvents(site.id)).toBe(2);
    expect((await profileOf(site.id, 'anon-twice'))?.page_views).toBe(2);
  });

  it('stores and applies a delivery of many messages for two sites slice by slice, each message acked once', async () => {
    const [one, two] = [await createSite(), await createSite()];
    // 23 messages of 10 events, alternating sites: slices of 60 events make three of six messages and one of five.
    const bodies = Array.from({ length: 23 }, (_, i) => message(i % 2 ? two.id : one.id, Array.from({ length: 10 }, (_, k) => accepted(`anon-slices-${i % 3}`, 10 * i + k))));
    const result = await deliver(INGEST, bodies);
    expect(new Set(result.explicitAcks).size).toBe(23);
    expect(result.retryMessages).toEqual([]);
    expect(await countEvents(one.id)).toBe(120);
    expect(await countEvents(two.id)).toBe(110);
    expect(await pendingBatches(one.id)).toBe(0);
    expect(await pendingBatches(two.id)).toBe(0);
    const views = async (site: string) => (await Promise.all([0, 1, 2].map((v) => profileOf(site, `anon-slices-${v}`)))).reduce((n, p) => n + (p?.page_views ?? 0), 0);
    expect(await views(one.id)).toBe(120);
    expect(await views(two.id)).toBe(110);
  });

  it('retries a message whose store failed, with backoff, and stores it once on the next attempt', async () => {
    const site = await createSite();
    const body = message(site.id, [accepted('anon-retry', 1), accepted('anon-retry', 2), accepted('anon-retry', 3)]);
    const failed = await deliver(INGEST, [body], { bindings: failingFirstBatch('before-commit'), ids: ['m-retry'] });
    expect(failed.explicitAcks).toEqual([]);
    expect(failed.retryMessages).toEqual([{ msgId: 'm-retry', delaySeconds: 5 }]);
    expect(await countEvents(site.id)).toBe(0);

    const retried = await deliver(INGEST, [body], { attempts: 2, ids: ['m-retry'] });
    expect(retried.explicitAcks).toEqual(['m-retry']);
    expect(await countEvents(site.id)).toBe(3);
    expect((await profileOf(site.id, 'anon-retry'))?.page_views).toBe(3);
  });

  it('a store that committed but whose answer was lost: the retry stores nothing twice, and the sweep applies the batch once', async () => {
    const site = await createSite();
    const body = message(site.id, [accepted('anon-lost', 1), accepted('anon-lost', 2)]);
    const failed = await deliver(INGEST, [body], { bindings: failingFirstBatch('after-commit'), ids: ['m-lost'] });
    expect(failed.retryMessages).toEqual([{ msgId: 'm-lost', delaySeconds: 5 }]);
    expect(await countEvents(site.id)).toBe(2);

    const retried = await deliver(INGEST, [body], { attempts: 2, ids: ['m-lost'] });
    expect(retried.explicitAcks).toEqual(['m-lost']);
    expect(await countEvents(site.id)).toBe(2);
    // The committed batch lost its in-memory run with the answer; the cron sweep applies it, once.
    expect(await pendingBatches(site.id)).toBe(1);
    await sweepPendingBatches(env.DB, Date.now() + 60_000);
    await sweepPendingBatches(env.DB, Date.now() + 120_000);
    expect(await pendingBatches(site.id)).toBe(0);
    expect((await profileOf(site.id, 'anon-lost'))?.page_views).toBe(2);
  });

  it('parks a malformed message with its reason and stores the messages behind it', async () => {
    const site = await createSite();
    const good = message(site.id, [accepted('anon-behind', 1)]);
    await env.INGEST_QUEUE!.sendBatch([{ body: { v: 1, site: site.id, events: 'not a list' }, contentType: 'json' }, { body: good, contentType: 'json' }]);

    const list = await until(
      async () => DeadLetters.parse(await (await admin(site.id, '')).json()),
      (l) => l.count > 0,
    );
    expect(list.ingest_mode).toBe('queue');
    expect(list.dead_letters).toHaveLength(1);
    expect(list.dead_letters[0]!.reason).toMatch(/^malformed_message: .*received_at/);
    expect(list.dead_letters[0]!.reason).toMatch(/events/);
    expect(await until(() => countEvents(site.id), (n) => n >= 1)).toBe(1);

    // Replay cannot fix a malformed body: it stays parked, and says why.
    const replay = DeadLetterReplay.parse(await (await admin(site.id, '/replay', { method: 'POST' })).json());
    expect(replay).toMatchObject({ replayed: 0, remaining: 1 });
    expect(replay.still_parked).toEqual([{ id: list.dead_letters[0]!.id, reason: list.dead_letters[0]!.reason }]);

    // …so its admin can discard it (their own site's only), and it is gone.
    const other = await createSite();
    const id = list.dead_letters[0]!.id;
    expect((await admin(site.id, `/${id}`, { method: 'DELETE' }, other.token)).status).toBe(401);
    expect((await admin(other.id, `/${id}`, { method: 'DELETE' }, other.token)).status).toBe(404);
    expect((await admin(site.id, '/0', { method: 'DELETE' }, site.token)).status).toBe(400);
    expect(DeadLetterDiscard.parse(await (await admin(site.id, `/${id}`, { method: 'DELETE' }, site.token)).json())).toEqual({ site: site.id, discarded: id, remaining: 0 });
    expect((await admin(site.id, `/${id}`, { method: 'DELETE' }, site.token)).status).toBe(404);
  });

  it('parks a message that names no registered site with no site, for the operator alone to list and discard', async () => {
    const site = await createSite();
    const nameless = { v: 1, received_at: Date.now(), events: 'not a list' };
    const stranger = message('no-such-shop', [accepted('anon-stranger', 1)]);
    await deliver(INGEST, [{ ...nameless }], { ids: ['m-nameless'] });
    await deliver(DEAD_LETTERS, [stranger], { ids: ['m-stranger'] });

    const operator = (path: string, init: RequestInit = {}, token = OPERATOR_TOKEN) =>
      send(`/v1/admin/dead-letters${path}`, { ...init, headers: { Authorization: `Bearer ${token}` } });
    expect((await operator('', {}, site.token)).status).toBe(401);
    expect((await operator('')).status).toBe(200);
    const list = DeadLetters.parse(await (await operator('')).json());
    expect(list.site).toBeNull();
    const mine = list.dead_letters.filter((d) => d.message_id === 'm-nameless' || d.message_id === 'm-stranger');
    expect(mine.map((d) => d.message_id).sort()).toEqual(['m-nameless', 'm-stranger']);
    expect(mine.find((d) => d.message_id === 'm-stranger')).toMatchObject({ events: 1, reason: expect.stringMatching(/^retries_exhausted/) });
    expect(mine.find((d) => d.message_id === 'm-nameless')).toMatchObject({ events: null, reason: expect.stringMatching(/^malformed_message/) });
    // No site's admin sees them.
    expect(DeadLetters.parse(await (await admin(site.id, '')).json()).count).toBe(0);

    for (const d of mine) expect(DeadLetterDiscard.parse(await (await operator(`/${d.id}`, { method: 'DELETE' })).json())).toMatchObject({ site: null, discarded: d.id });
    expect((await operator(`/${mine[0]!.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await operator(`/${mine[0]!.id}`, { method: 'DELETE' }, site.token)).status).toBe(401);
    const after = DeadLetters.parse(await (await operator('')).json());
    expect(after.dead_letters.some((d) => d.message_id === 'm-nameless' || d.message_id === 'm-stranger')).toBe(false);
  });

  it('parks what the dead-letter queue receives, lists it to the site admin only, and replays it through the writer once', async () => {
    const site = await createSite();
    const other = await createSite();
    const events = [accepted('anon-dlq', 1), accepted('anon-dlq', 2), accepted('anon-dlq', 3)];
    const parked = await deliver(DEAD_LETTERS, [message(site.id, events)], { ids: ['m-dlq'] });
    expect(parked.explicitAcks).toEqual(['m-dlq']);
    // Delivered to the parking step twice: parked once.
    await deliver(DEAD_LETTERS, [message(site.id, events)], { ids: ['m-dlq'] });

    expect((await admin(site.id, '', {}, 'wrong-token')).status).toBe(401);
    expect((await admin(site.id, '', {}, other.token)).status).toBe(401);
    const list = DeadLetters.parse(await (await admin(site.id, '', {}, site.token)).json());
    expect(list.count).toBe(1);
    expect(list.dead_letters[0]).toMatchObject({ message_id: 'm-dlq', events: 3 });
    expect(list.dead_letters[0]!.reason).toMatch(/^retries_exhausted/);
    expect(await countEvents(site.id)).toBe(0);

    expect((await admin(site.id, '/replay', { method: 'POST' }, 'wrong-token')).status).toBe(401);
    const replay = (await (await admin(site.id, '/replay', { method: 'POST' }, site.token)).json()) as Record<string, unknown>;
    expect(replay).toMatchObject({ replayed: 1, events_stored: 3, events_duplicate: 0, still_parked: [], remaining: 0 });
    expect(await countEvents(site.id)).toBe(3);
    expect((await profileOf(site.id, 'anon-dlq'))?.page_views).toBe(3);
    // Nothing is left to replay; a second replay changes nothing.
    expect(await (await admin(site.id, '/replay', { method: 'POST' }, site.token)).json()).toMatchObject({ replayed: 0, remaining: 0 });
    expect(await countEvents(site.id)).toBe(3);
  });
  it("erasing a shopper takes their events out of parked messages, keeps the others' for replay, and drops an unreadable one naming them", async () => {
    const site = await createSite();
    const mixed = [accepted('anon-erase-me', 1), accepted('anon-keep-me', 2), accepted('anon-erase-me', 3)];
    await deliver(DEAD_LETTERS, [message(site.id, mixed)], { ids: ['m-mixed'] });
    await deliver(DEAD_LETTERS, [message(site.id, [accepted('anon-erase-me', 4)])], { ids: ['m-only-theirs'] });
    // Unreadable as a message, but it names them; and one that names someone else.
    await deliver(INGEST, [{ v: 1, site: site.id, events: 'anon-erase-me' }, { v: 1, site: site.id, events: 'anon-keep-me' }]);
    expect(DeadLetters.parse(await (await admin(site.id, '', {}, site.token)).json()).count).toBe(4);

    const erased = await send(`/v1/admin/sites/${site.id}/visitors/a:anon-erase-me`, { method: 'DELETE', headers: { Authorization: `Bearer ${site.token}` } });
    expect(erased.status).toBe(200);
    const left = await env.DB.prepare('SELECT message_id, body FROM dead_letters WHERE site = ?1 ORDER BY id').bind(site.id).all<{ message_id: string; body: string }>();
    expect(left.results.some((r) => r.body.includes('anon-erase-me'))).toBe(false);
    expect(left.results.map((r) => r.message_id)).toHaveLength(2);
    expect(JSON.parse(left.results.find((r) => r.message_id === 'm-mixed')!.body).events.map((e: AcceptedEvent) => e.anon_id)).toEqual(['anon-keep-me']);
    // The other shopper's parked event still replays.
    expect(await (await admin(site.id, '/replay', { method: 'POST' }, site.token)).json()).toMatchObject({ replayed: 1, events_stored: 1, remaining: 1 });
    expect(await countEvents(site.id)).toBe(1);
  });

  it("stores a pinned shop's queued events in its own database, and parks its dead letters there", async () => {
    const site = await createSite({ database: 'DB_SHOP_B' });
    const events = [accepted('anon-pinned', 1), accepted('anon-pinned', 2)];
    expect((await deliver(INGEST, [message(site.id, events)])).explicitAcks).toHaveLength(1);
    const count = (db: D1Database) => db.prepare('SELECT count(*) AS n FROM events WHERE site = ?1').bind(site.id).first<{ n: number }>();
    expect(await count(env.DB_SHOP_B)).toEqual({ n: 2 });
    expect(await count(env.DB)).toEqual({ n: 0 });
    expect(await env.DB_SHOP_B.prepare('SELECT page_views FROM profiles WHERE site = ?1').bind(site.id).first()).toEqual({ page_views: 2 });

    await deliver(DEAD_LETTERS, [message(site.id, [accepted('anon-pinned', 3)])]);
    expect(await (await admin(site.id, '')).json()).toMatchObject({ count: 1 });
    expect(await env.DB.prepare('SELECT count(*) AS n FROM dead_letters WHERE site = ?1').bind(site.id).first()).toEqual({ n: 0 });
    expect(await (await admin(site.id, '/replay', { method: 'POST' })).json()).toMatchObject({ replayed: 1, events_stored: 1, remaining: 0 });
    expect(await count(env.DB_SHOP_B)).toEqual({ n: 3 });
  });
});

function padded(i: number, propsBytes = 100): AcceptedEvent {
  return { ...accepted('anon-pad', i), props: JSON.stringify({ pad: 'x'.repeat(propsBytes) }) };
}

describe('ingest messages', () => {
  it('keeps every event, in order, each message under the per-message limit', () => {
    const events = Array.from({ length: 300 }, (_, i) => padded(i, 900 + (i % 7) * 300));
    const messages = ingestMessages('shop', events, 42);
    expect(messages.length).toBeGreaterThan(2);
    expect(messages.flatMap((m) => m.body.events.map((e) => e.id))).toEqual(events.map((e) => e.id));
    for (const m of messages) {
      const bytes = new TextEncoder().encode(JSON.stringify(m.body)).byteLength;
      expect(bytes).toBeLessThanOrEqual(QUEUE_LIMITS.bytesPerMessage);
      expect(m.bytes).toBeGreaterThanOrEqual(bytes);
      expect(m.body).toMatchObject({ v: 1, site: 'shop', received_at: 42 });
    }
  });

  it('sends a small request as one message', () => {
    expect(ingestMessages('shop', [padded(1), padded(2)], 1)).toHaveLength(1);
  });

  it('backs off exponentially, capped at five minutes', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([5, 10, 20, 40]);
    expect(retryDelaySeconds(30)).toBe(300);
  });
});
