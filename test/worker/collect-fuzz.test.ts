import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchOf, countEvents, createSite, makeEvent, postCollect, send } from './helpers';
import { hostileString, hostileValue } from './hostile-input';

// Hostile input for the collector: whatever arrives, the answer is one of the documented ones,
// never a 5xx, and what is stored is exactly what the answer says was accepted.
const DOCUMENTED = new Set([202, 400, 403, 404, 413, 429]);

/** A valid event with one field replaced by something hostile, or a hostile key added. */
const mutatedEvent = fc
  .tuple(
    fc.constantFrom('id', 'name', 'ts', 'anon_id', 'user_id', 'session_id', 'url', 'props', 'props.items', 'props.__proto__', 'extra'),
    hostileValue,
    fc.constantFrom('page_view', 'view_item', 'add_to_cart', 'purchase', 'review_submit', 'lead_submit', 'custom_event'),
  )
  .map(([field, value, name]) => {
    const event: Record<string, unknown> = makeEvent({ name, props: {} });
    if (field.startsWith('props.')) {
      const props: Record<string, unknown> = {};
      Object.defineProperty(props, field.slice(6), { value, enumerable: true });
      event.props = props;
    } else event[field] = value;
    return event;
  });

function deepNest(depth: number): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('collector under hostile input', { timeout: 120_000 }, () => {
  it('answers arbitrary JSON bodies with a documented status and never a 5xx', async () => {
    const site = await createSite({ rate: { events_per_second: 1_000_000, burst: 10_000_000 } });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileValue, fc.record({ site: fc.oneof(fc.constant(site.id), hostileString), sent_at: fc.oneof(fc.constant(Date.now()), hostileValue), events: fc.oneof(hostileValue, fc.array(hostileValue, { maxLength: 5 })) })),
        async (body) => {
          const response = await postCollect(JSON.stringify(body) ?? 'undefined');
          expect(DOCUMENTED.has(response.status), `status ${response.status}`).toBe(true);
          const answer = (await response.json()) as Record<string, unknown>;
          if (response.status !== 202) expect(answer).toHaveProperty('error.code');
        },
      ),
      { numRuns: 1500 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stores exactly the events it says it accepted from batches of mutated events', async () => {
    const site = await createSite({ rate: { events_per_second: 1_000_000, burst: 10_000_000 } });
    let acceptedTotal = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(mutatedEvent, fc.constant(null).map(() => makeEvent())), { minLength: 1, maxLength: 8 }), async (events) => {
        const response = await postCollect(batchOf(site.id, events));
        expect(DOCUMENTED.has(response.status), `status ${response.status}`).toBe(true);
        if (response.status !== 202) return;
        const answer = (await response.json()) as { accepted: number; duplicates: number; rejected: { index: number; reason: string }[] };
        expect(answer.accepted + answer.duplicates + answer.rejected.length).toBe(events.length);
        for (const r of answer.rejected) expect(r.reason.length).toBeGreaterThan(3);
        acceptedTotal += answer.accepted;
      }),
      { numRuns: 1500 },
    );
    expect(await countEvents(site.id)).toBe(acceptedTotal);
  });

  it('refuses bodies that are not UTF-8 JSON, deeply nested, or oversized, storing nothing', async () => {
    const site = await createSite();
    const invalidUtf8 = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
    const bodies: [BodyInit, number][] = [
      [invalidUtf8, 400],
      [JSON.stringify(batchOf(site.id, [makeEvent({ props: { nest: deepNest(50) } })])), 202],
      ['['.repeat(100_000), 413],
      [JSON.stringify(batchOf(site.id, [deepNest(5000)])), 202],
      ['', 400],
    ];
    for (const [body, status] of bodies) {
      const response = await send('/v1/collect', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body });
      expect(response.status).toBe(status);
      if (status === 202) expect((await response.json()) as object).toMatchObject({ accepted: 0, rejected: [{ index: 0 }] });
    }
    expect(await countEvents(site.id)).toBe(0);
  });
});
