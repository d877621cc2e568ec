import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AcceptedEvent } from '../../edge/contract';
import { ingestMessages, QUEUE_LIMITS } from '../../edge/ingest/queue-producer';
import { retryDelaySeconds } from '../../edge/ingest/queue-consumer';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

function event(i: number, propsBytes = 100): AcceptedEvent {
  return { id: `e-${i}`, name: 'page_view', ts: 1, client_ts: 1, anon_id: 'a', user_id: null, session_id: 's', seq: i, url: 'https://shop.example/', props: JSON.stringify({ pad: 'x'.repeat(propsBytes) }) };
}

describe('queue mode configuration', () => {
  it('wrangler.queue.toml is wrangler.toml plus the queue block, so the two modes never drift apart', () => {
    const direct = read('wrangler.toml');
    const queue = read('wrangler.queue.toml');
    expect(queue.startsWith(direct)).toBe(true);
    expect(direct).not.toMatch(/INGEST_QUEUE/);
    expect(queue.slice(direct.length)).toMatch(/binding = "INGEST_QUEUE"/);
  });
});

describe('ingest messages', () => {
  it('keeps every event, in order, each message under the per-message limit', () => {
    const events = Array.from({ length: 300 }, (_, i) => event(i, 900 + (i % 7) * 300));
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
    expect(ingestMessages('shop', [event(1), event(2)], 1)).toHaveLength(1);
  });

  it('backs off exponentially, capped at five minutes', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([5, 10, 20, 40]);
    expect(retryDelaySeconds(30)).toBe(300);
  });
});
