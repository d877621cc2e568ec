// The outbox's delivery rules against a scripted collector: fetch is the network boundary, so
// it is the one thing replaced here (the browser tests run the same code against the real worker).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrackedEvent } from '../../edge/contract';
import { BATCH_DELAY_MS, createOutbox } from '../../sdk/outbox';
import { memoryStore } from '../../sdk/store';

interface Sent {
  at: number;
  events: TrackedEvent[];
}

let seq = 0;
const event = (name = 'tracked_test', props: Record<string, unknown> = {}): TrackedEvent => ({
  id: `event-${String(++seq).padStart(6, '0')}`,
  name,
  ts: Date.now(),
  anon_id: 'anon-00000001',
  session_id: 'session-0001',
  url: 'https://shop.example/',
  props,
});

/** A collector answering each request with the next scripted response (202 once the script runs out). */
function collector(script: ((events: TrackedEvent[]) => Response)[] = []) {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    const events = JSON.parse(init.body as string).events as TrackedEvent[];
    sent.push({ at: Date.now(), events });
    const answer = script.shift();
    return answer ? answer(events) : Response.json({ accepted: events.length, duplicates: 0, rejected: [] }, { status: 202 });
  });
  return sent;
}

const status = (code: number, headers: Record<string, string> = {}, body: unknown = { error: { code: 'x', message: `answered ${code}` } }) => () =>
  Response.json(body, { status: code, headers });

/** An outbox over a memory store; `add` stores events as the tracker does (one commit), then hands them over. */
function outbox(analytics = true) {
  const store = memoryStore();
  const box = createOutbox({ site: 'demo', endpoint: 'https://edge.example', store, analytics: () => analytics });
  const add = async (...events: TrackedEvent[]) => {
    await store.commit(() => ({ visitor: { anon: 'anon-00000001' }, events }));
    box.added(events);
  };
  const stored = () => store.events() as Promise<TrackedEvent[]>;
  return { box, add, stored };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_800_000_000_000 });
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the outbox', () => {
  it('batches what comes within a second, and removes events once acknowledged', async () => {
    const sent = collector();
    const { add, stored } = outbox();
    await add(event(), event());
    await vi.advanceTimersByTimeAsync(500);
    expect((await stored()).length).toBe(2);
    expect(sent).toHaveLength(0);
    await add(event());
    await vi.advanceTimersByTimeAsync(BATCH_DELAY_MS - 501);
    expect(sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((s) => s.events.length)).toEqual([3]);
    expect(await stored()).toEqual([]);
  });

  it('sends at once when 20 events are waiting', async () => {
    const sent = collector();
    const { add } = outbox();
    await add(...Array.from({ length: 20 }, () => event()));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.events.length)).toEqual([20]);
  });

  it('keeps events through 5xx and network failures, retrying with growing backoff, then delivers them once', async () => {
    const sent = collector([status(500), () => Response.error(), status(503)]);
    const { box, add, stored } = outbox();
    await add(event());
    await vi.advanceTimersByTimeAsync(BATCH_DELAY_MS);
    expect(sent).toHaveLength(1);
    expect((await stored()).length).toBe(1);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sent).toHaveLength(4);
    const gaps = sent.slice(1).map((s, i) => s.at - sent[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(500);
    expect(gaps[1]).toBeGreaterThanOrEqual(1000);
    expect(gaps[2]).toBeGreaterThanOrEqual(2000);
    expect(new Set(sent.map((s) => s.events[0]!.id)).size).toBe(1);
    expect(await stored()).toEqual([]);
  });

  it('waits what Retry-After says after a 429', async () => {
    const sent = collector([status(429, { 'Retry-After': '30' })]);
    const { box, add, stored } = outbox();
    await add(event());
    await vi.advanceTimersByTimeAsync(BATCH_DELAY_MS);
    await add(event()); // new events do not cut the wait short
    await vi.advanceTimersByTimeAsync(29_000);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(30_000);
    expect(await stored()).toEqual([]);
  });

  it('never retries a 400: drops the batch with one console warning', async () => {
    const sent = collector([status(400), status(400)]);
    const { box, add, stored } = outbox();
    await add(event());
    await vi.advanceTimersByTimeAsync(BATCH_DELAY_MS);
    await add(event());
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent).toHaveLength(2);
    expect(await stored()).toEqual([]);
    expect(console.warn).toHaveBeenCalledTimes(1);
  });

  it('removes events the collector rejected as poison along with the accepted ones', async () => {
    const sent = collector([(events) => Response.json({ accepted: events.length - 1, duplicates: 0, rejected: [{ index: 1, reason: 'props.items: bad' }] }, { status: 202 })]);
    const { box, add, stored } = outbox();
    await add(event());
    await add(event('add_to_cart', { items: 'bad' }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent).toHaveLength(1);
    expect(await stored()).toEqual([]);
    expect(vi.mocked(console.warn).mock.calls[0]!.join(' ')).toContain('props.items: bad');
  });

  it('halves the batch after a 413 and delivers everything', async () => {
    const sent = collector([status(413)]);
    const { box, add, stored } = outbox();
    await add(...Array.from({ length: 8 }, () => event()));
    await vi.advanceTimersByTimeAsync(BATCH_DELAY_MS);
    expect(sent.map((s) => s.events.length)).toEqual([8, 4, 4]);
    expect(await stored()).toEqual([]);
  });

  it('sends nothing but necessary events while analytics consent is missing, and a refusal discards the rest', async () => {
    const sent = collector();
    const { box, add, stored } = outbox(false);
    await add(event('page_view'));
    await add(event('consent_update', { analytics: false, marketing: false }));
    await vi.advanceTimersByTimeAsync(BATCH_DELAY_MS);
    expect(sent.flatMap((s) => s.events.map((e) => e.name))).toEqual(['consent_update']);
    expect((await stored()).map((e) => e.name)).toEqual(['page_view']);
    box.discard();
    await vi.advanceTimersByTimeAsync(0);
    expect(await stored()).toEqual([]);
  });

  it('keeps at most 1,000 stored events, dropping the oldest', async () => {
    const sent = collector([status(500)]);
    const { box, add, stored } = outbox();
    const events = Array.from({ length: 1005 }, (_, i) => ({ ...event(), ts: Date.now() - 10_000 + i }));
    await add(...events);
    await vi.advanceTimersByTimeAsync(0);
    const kept = await stored();
    expect(kept).toHaveLength(1000);
    expect(kept.map((e) => e.id)).not.toContain(events[4]!.id);
    expect(kept.map((e) => e.id)).toContain(events[5]!.id);
    expect(sent[0]!.events[0]!.id).toBe(events[5]!.id);
  });

  it('retries at once when the network comes back', async () => {
    const sent = collector([() => Response.error(), () => Response.error()]);
    const { box, add, stored } = outbox();
    await add(event());
    await vi.advanceTimersByTimeAsync(BATCH_DELAY_MS);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toHaveLength(2);
    box.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(3);
    expect(await stored()).toEqual([]);
  });
});
