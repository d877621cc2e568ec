import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { batchOf, countEvents, createSite, makeEvent, postCollect, send } from './helpers';

type CollectBody = { accepted: number; duplicates: number; rejected: { index: number; reason: string }[] };
type ErrorBody = { error: { code: string; message: string } };

describe('POST /v1/collect', () => {
  it('stores a text/plain batch and answers 202 with counts', async () => {
    const site = await createSite();
    const events = [makeEvent(), makeEvent({ name: 'view_item', props: { currency: 'KRW', value: 12000, items: [{ item_id: 'sku-1', item_name: '머그컵', price: 12000 }] } })];
    const response = await postCollect(batchOf(site.id, events));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const row = await env.DB.prepare('SELECT name, props FROM events WHERE site = ? AND id = ?').bind(site.id, events[1]!.id).first<{ name: string; props: string }>();
    expect(row?.name).toBe('view_item');
    expect(JSON.parse(row!.props).items[0].item_name).toBe('머그컵');
  });

  it('takes application/json the same way', async () => {
    const site = await createSite();
    const response = await send('/v1/collect', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(batchOf(site.id, [makeEvent()])),
    });
    expect(response.status).toBe(202);
    expect(await countEvents(site.id)).toBe(1);
  });

  it('stores a batch sent twice once, and says how many were duplicates', async () => {
    const site = await createSite();
    const batch = batchOf(site.id, [makeEvent(), makeEvent(), makeEvent()]);
    await postCollect(batch);
    const again = await postCollect(batch);
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    expect(await countEvents(site.id)).toBe(3);
  });

  it('stores concurrent sends of the same batch once', async () => {
    const site = await createSite();
    const batch = batchOf(site.id, Array.from({ length: 20 }, () => makeEvent()));
    const answers = await Promise.all(Array.from({ length: 6 }, () => postCollect(batch)));
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as CollectBody[];
    expect(bodies.reduce((sum, b) => sum + b.accepted, 0)).toBe(20);
    expect(bodies.reduce((sum, b) => sum + b.duplicates, 0)).toBe(100);
    expect(await countEvents(site.id)).toBe(20);
  });

  it('stores, answers and applies only the new events of batches that overlap stored ones', async () => {
    const site = await createSite();
    const events = Array.from({ length: 30 }, () => makeEvent({ anon_id: 'anon-overlap', session_id: 'sess-overlap' }));
    await postCollect(batchOf(site.id, events.slice(0, 10)));
    // A retry that grew (10 known, 5 new), then windows that overlap each other, sent together so they
    // share a commit: each is answered with its own new events, and the pipeline sees each event once.
    const first = (await (await postCollect(batchOf(site.id, events.slice(0, 15)))).json()) as CollectBody;
    expect(first).toMatchObject({ accepted: 5, duplicates: 10 });
    const windows = [events.slice(10, 20), events.slice(15, 25), events.slice(5, 30), events.slice(20, 30)];
    const bodies = (await Promise.all(windows.map(async (w) => (await postCollect(batchOf(site.id, w))).json()))) as CollectBody[];
    expect(bodies.reduce((sum, b) => sum + b.accepted, 0)).toBe(15);
    expect(bodies.reduce((sum, b) => sum + b.accepted + b.duplicates, 0)).toBe(windows.reduce((n, w) => n + w.length, 0));
    expect(await countEvents(site.id)).toBe(30);
    const profile = await env.DB.prepare("SELECT page_views FROM profiles WHERE site = ? AND visitor_id = 'a:anon-overlap'").bind(site.id).first<{ page_views: number }>();
    expect(profile?.page_views).toBe(30);
  });

  it('counts an id repeated inside one batch as a duplicate', async () => {
    const site = await createSite();
    const event = makeEvent();
    const body = (await (await postCollect(batchOf(site.id, [event, event]))).json()) as CollectBody;
    expect(body).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(await countEvents(site.id)).toBe(1);
  });

  it('keeps the good events of a mixed batch and names the bad ones by index', async () => {
    const site = await createSite();
    const events = [
      makeEvent(),
      makeEvent({ name: 'add_to_cart', props: { items: [{ item_id: 'a', price: 'free' }] } }),
      makeEvent({ url: 'x'.repeat(5000) }),
      makeEvent({ name: 'my_custom_thing', props: { color: 'red' } }),
      makeEvent({ name: 'my_custom_thing', props: { ['k'.repeat(100)]: 1 } }),
      makeEvent({ name: 'purchase', props: { items: [] } }),
      makeEvent({ ts: Date.now() - 90 * 86_400_000 }),
      JSON.parse('{"__proto__": {"polluted": true}}'),
      'not an event',
      makeEvent({ name: 'Bad Name!' }),
      makeEvent({ name: 'constructor' }),
    ];
    const response = await postCollect(batchOf(site.id, events));
    expect(response.status).toBe(202);
    const body = (await response.json()) as CollectBody;
    // 1 and 4 break the contract only in props the product can do without: stored without them.
    expect(body.accepted).toBe(5);
    expect(body.rejected.map((r) => r.index)).toEqual([2, 5, 6, 7, 8, 9]);
    expect(body.accepted + body.rejected.length).toBe(events.length); // 'constructor' is a valid custom name
    const reason = (i: number) => body.rejected.find((r) => r.index === i)!.reason;
    expect(reason(2)).toMatch(/^url: must be at most 2048 characters/);
    expect(reason(5)).toMatch(/props\.transaction_id/);
    expect(reason(6)).toMatch(/^ts: .*older than sent_at/);
    expect(reason(7)).toMatch(/__proto__: this key name is not allowed/);
    expect(reason(9)).toMatch(/^name: must be snake_case/);
    expect(await countEvents(site.id)).toBe(5);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses props that are not an object, says so, and stores an event sent without props with empty ones', async () => {
    const site = await createSite();
    const bare = makeEvent();
    delete (bare as { props?: unknown }).props;
    const events = [makeEvent({ props: ['red'] as never }), makeEvent({ props: 'red' as never }), makeEvent({ props: null as never }), bare];
    const body = (await (await postCollect(batchOf(site.id, events))).json()) as CollectBody;
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([0, 1, 2].map((index) => ({ index, reason: "props: must be a JSON object of the event's properties" })));
    const stored = await env.DB.prepare('SELECT props FROM events WHERE site = ?').bind(site.id).all<{ props: string }>();
    expect(stored.results.map((r) => r.props)).toEqual(['{}']);
  });

  it('re-anchors event time on the server clock and keeps the client time', async () => {
    const site = await createSite();
    const clientNow = Date.now() - 3 * 3_600_000; // the shopper's clock is 3 hours behind
    const event = makeEvent({ ts: clientNow - 5_000 });
    const before = Date.now();
    await postCollect(batchOf(site.id, [event], clientNow));
    const after = Date.now();
    const row = await env.DB.prepare('SELECT ts, client_ts, received_at FROM events WHERE site = ? AND id = ?').bind(site.id, event.id).first<{ ts: number; client_ts: number; received_at: number }>();
    expect(row!.client_ts).toBe(clientNow - 5_000);
    expect(row!.ts).toBe(row!.received_at - 5_000);
    expect(row!.received_at).toBeGreaterThanOrEqual(before);
    expect(row!.received_at).toBeLessThanOrEqual(after);
  });

  describe('refuses bad input whole, storing nothing', () => {
    const cases: [string, (site: string) => string, number, string][] = [
      ['a body that is not JSON', () => '{"site": "x", events: [', 400, 'invalid_json'],
      ['a JSON array', () => '[]', 400, 'invalid_batch'],
      ['events that is not an array', (s) => JSON.stringify({ site: s, sent_at: Date.now(), events: {} }), 400, 'invalid_batch'],
      ['a missing site', () => JSON.stringify({ sent_at: Date.now(), events: [makeEvent()] }), 400, 'invalid_batch'],
      ['sent_at in seconds', (s) => JSON.stringify({ site: s, sent_at: Math.floor(Date.now() / 1000), events: [makeEvent()] }), 400, 'invalid_batch'],
      ['an empty batch', (s) => JSON.stringify(batchOf(s, [])), 400, 'invalid_batch'],
      ['101 events', (s) => JSON.stringify(batchOf(s, Array.from({ length: 101 }, () => makeEvent()))), 400, 'batch_too_large'],
      ['a body over 64 KB', (s) => JSON.stringify(batchOf(s, [makeEvent({ props: { pad: 'x'.repeat(70_000) } })])), 413, 'body_too_large'],
    ];
    for (const [what, body, status, code] of cases) {
      it(what, async () => {
        const site = await createSite();
        const response = await postCollect(body(site.id));
        expect(response.status).toBe(status);
        const error = (await response.json()) as ErrorBody;
        expect(error.error.code).toBe(code);
        expect(error.error.message.length).toBeGreaterThan(10);
        expect(await countEvents(site.id)).toBe(0);
      });
    }
  });

  it('answers 404 for a site nobody registered', async () => {
    const response = await postCollect(batchOf('no-such-site', [makeEvent()]));
    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorBody).error.code).toBe('unknown_site');
  });

  describe('CORS', () => {
    it("answers the site's allowed origins, with wildcard ports for localhost", async () => {
      const site = await createSite({ allowed_origins: ['https://shop.example', 'http://localhost:*'] });
      for (const origin of ['https://shop.example', 'http://localhost:5173']) {
        const response = await postCollect(batchOf(site.id, [makeEvent()]), { Origin: origin });
        expect(response.status).toBe(202);
        expect(response.headers.get('Access-Control-Allow-Origin')).toBe(origin);
      }
    });

    it('refuses other origins without storing and without Allow-Origin', async () => {
      const site = await createSite();
      const response = await postCollect(batchOf(site.id, [makeEvent()]), { Origin: 'https://evil.example' });
      expect(response.status).toBe(403);
      expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
      expect(((await response.json()) as ErrorBody).error.code).toBe('origin_not_allowed');
      expect(await countEvents(site.id)).toBe(0);
    });

    it('answers preflights for JSON posts', async () => {
      const response = await send('/v1/collect', {
        method: 'OPTIONS',
        headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://shop.example');
      expect(response.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('content-type');
    });
  });

  it('answers 429 with Retry-After once a site is over its rate', async () => {
    const site = await createSite({ rate: { events_per_second: 1, burst: 5 } });
    const first = await postCollect(batchOf(site.id, Array.from({ length: 5 }, () => makeEvent())));
    expect(first.status).toBe(202);
    const over = await postCollect(batchOf(site.id, Array.from({ length: 3 }, () => makeEvent())));
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
    expect(((await over.json()) as ErrorBody).error.code).toBe('rate_limited');
    expect(await countEvents(site.id)).toBe(5);
  });
});
