import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../edge/contract';
import { BODY_BYTES, EVENTS_PER_BATCH, MAX_EVENT_AGE_MS, QUEUE_CAP, backoffMs, outcome, retryAfterMs, toBatches, trimQueue } from '../../sdk/delivery';
import { SESSION_MS } from '../../sdk/identity';
import type { TrackedEvent } from '../../edge/contract';

const event = (n: number, props: Record<string, unknown> = {}, ts = 1_800_000_000_000 + n): TrackedEvent => ({
  id: `event-${String(n).padStart(6, '0')}`,
  name: 'page_view',
  ts,
  anon_id: 'anon-00000001',
  session_id: 'session-0001',
  url: 'https://shop.example/',
  props,
});

describe('the SDK keeps the contract limits it cannot import', () => {
  it('matches edge/contract LIMITS', () => {
    expect(BODY_BYTES).toBe(LIMITS.bodyBytes);
    expect(EVENTS_PER_BATCH).toBe(LIMITS.eventsPerBatch);
    expect(MAX_EVENT_AGE_MS).toBe(LIMITS.maxEventAgeMs);
    expect(SESSION_MS).toBe(LIMITS.sessionIdleMs);
  });
});

describe('backoffMs', () => {
  it('doubles per attempt with jitter between half and all of the step', () => {
    expect(backoffMs(0, 0)).toBe(500);
    expect(backoffMs(0, 1)).toBe(1000);
    expect(backoffMs(3, 0)).toBe(4000);
    expect(backoffMs(3, 1)).toBe(8000);
  });

  it('is capped at five minutes', () => {
    expect(backoffMs(30, 1)).toBe(300_000);
    expect(backoffMs(30, 0)).toBe(150_000);
  });

  it('spreads retries of many clients (jitter)', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffMs(4)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 10, 22, 12, 0, 0);
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs(new Date(now + 12_000).toUTCString(), now)).toBe(12_000);
  });
  it('is 0 when absent, past or unreadable, and at most an hour', () => {
    expect(retryAfterMs(null, now)).toBe(0);
    expect(retryAfterMs(new Date(now - 5000).toUTCString(), now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBe(0);
    expect(retryAfterMs('999999', now)).toBe(3_600_000);
  });
});

describe('outcome of a collect response', () => {
  it('removes delivered batches, including ones with rejected (poison) events', () => {
    expect(outcome(202, null, 0)).toBe('done');
  });
  it('never retries a 4xx other than 408 and 429', () => {
    for (const status of [400, 401, 403, 404, 422]) expect(outcome(status, null, 0)).toBe('done');
  });
  it('splits on 413', () => {
    expect(outcome(413, null, 0)).toBe('split');
  });
  it('retries 408, 429, 5xx and network failures with backoff', () => {
    for (const status of [0, 408, 429, 500, 502, 503]) {
      const delay = outcome(status, null, 2);
      expect(typeof delay).toBe('number');
      expect(delay).toBeGreaterThanOrEqual(2000);
      expect(delay).toBeLessThanOrEqual(4000);
    }
  });
  it('waits at least what Retry-After says', () => {
    expect(outcome(429, '30', 0)).toBe(30_000);
    expect(outcome(503, '30', 0)).toBe(30_000);
  });
});

describe('toBatches', () => {
  it('keeps each body at most 100 events', () => {
    const batches = toBatches('demo', Array.from({ length: 250 }, (_, n) => event(n)), 1_800_000_000_500);
    expect(batches.map((b) => b.events.length)).toEqual([100, 100, 50]);
    const body = JSON.parse(batches[0]!.body);
    expect(body).toMatchObject({ site: 'demo', sent_at: 1_800_000_000_500 });
    expect(body.events).toEqual(batches[0]!.events);
  });

  it('keeps every body under 64 KB counted in UTF-8 bytes', () => {
    // 3-byte characters: a string-length count would overfill the body three times over.
    const events = Array.from({ length: 40 }, (_, n) => event(n, { text: '가'.repeat(2000) }));
    const batches = toBatches('demo', events, 1_800_000_000_500);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(new TextEncoder().encode(batch.body).length).toBeLessThanOrEqual(LIMITS.bodyBytes);
    expect(batches.flatMap((b) => b.events)).toEqual(events);
  });

  it('honours a smaller batch size after a 413', () => {
    expect(toBatches('demo', Array.from({ length: 10 }, (_, n) => event(n)), 0, 4).map((b) => b.events.length)).toEqual([4, 4, 2]);
  });

  it('sends an event too large on its own in a batch of its own (the collector names it)', () => {
    const batches = toBatches('demo', [event(1), event(2, { text: 'x'.repeat(70_000) }), event(3)], 0);
    expect(batches.map((b) => b.events.map((e) => e.id))).toEqual([['event-000001'], ['event-000002'], ['event-000003']]);
  });
});

describe('trimQueue', () => {
  const now = 1_800_000_000_000;
  it('keeps at most the cap, dropping the oldest first', () => {
    const events = Array.from({ length: QUEUE_CAP + 5 }, (_, n) => event(n, {}, now - 1_000_000 + n)).reverse();
    const { keep, drop } = trimQueue(events, now);
    expect(keep).toHaveLength(QUEUE_CAP);
    expect(drop.map((e) => e.id)).toEqual(['event-000000', 'event-000001', 'event-000002', 'event-000003', 'event-000004']);
    expect(keep[0]!.id).toBe('event-000005');
  });

  it('drops events the collector would refuse as too old', () => {
    const { keep, drop } = trimQueue([event(1, {}, now - MAX_EVENT_AGE_MS - 1), event(2, {}, now - 1000)], now);
    expect(drop.map((e) => e.id)).toEqual(['event-000001']);
    expect(keep.map((e) => e.id)).toEqual(['event-000002']);
  });

  it('orders what it keeps oldest first', () => {
    const { keep } = trimQueue([event(3, {}, now - 1), event(1, {}, now - 3), event(2, {}, now - 2)], now);
    expect(keep.map((e) => e.id)).toEqual(['event-000001', 'event-000002', 'event-000003']);
  });
});
