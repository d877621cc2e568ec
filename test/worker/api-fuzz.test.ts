import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeEvent, OPERATOR_TOKEN, send } from './helpers';
import { hostileString, hostileValue } from './hostile-input';
import { quietConfig, siteWith } from './shopper';

// Hostile input for every endpoint but the collector (collect-fuzz.test.ts): generated malformed
// and adversarial bodies and query strings get a documented status, never a 5xx, an error body
// `{error:{code,message}}` that leaks nothing of the internals, and a refused request changes
// nothing in D1 or KV.

/** Every path to a value inside `value` (arrays by index), to pick one to replace. */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

/** A copy of `base` with the value at `path` replaced (or, for `extraKey`, a key added beside it),
 * own-property keys only, so `__proto__` arrives as a key in the JSON. */
function mutated(base: unknown, path: string[], value: unknown, extraKey?: string): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  if (path.length === 0) return extraKey ? copy : value;
  let parent: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  if (extraKey !== undefined) Object.defineProperty(parent, extraKey, { value, enumerable: true, configurable: true, writable: true });
  else parent[path[path.length - 1]!] = value;
  return copy;
}

/** Bodies built from a valid one: one value replaced, a hostile key added, or anything at all. */
function bodiesFrom(base: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(base);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...paths), hostileValue).map(([path, value]) => mutated(base, path, value)),
    fc.tuple(fc.constantFrom(...paths), fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra'), hostileValue).map(([path, key, value]) =>
      mutated(base, path.length ? path : [], value, key),
    ),
    hostileValue,
  );
}

/** Raw bodies no generator above produces: not UTF-8, not JSON, too deep, numbers past float range. */
function rawBodies(valid: string): BodyInit[] {
  const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  return [
    new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    new Uint8Array([...new TextEncoder().encode(valid.slice(0, -1)), 0xc3, 0x28, 0x7d]),
    '',
    'null',
    '[]',
    '"just a string"',
    '{"site":',
    valid.replace(/:\d+/, ':1e309'),
    valid.replace(/:\d+/, ':-1e309'),
    valid.replace(/true/, '1e-400'),
    deep(5000),
    '['.repeat(50_000),
    `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`,
    valid.replace('{', '{"__proto__":{"admin":true},'),
  ];
}

// ---- the documented answer ----

/** Text that would tell an attacker about the internals. */
const LEAK = /\n\s+at\s|\.(ts|js|mjs):\d+|node_modules|sqlite|D1_|TypeError|ReferenceError|RangeError|SyntaxError|is not a function|Cannot read prop|undefined is not|\bstack\b/i;

async function expectDocumented(response: Response, allowed: number[], label: string): Promise<unknown> {
  const text = await response.text();
  expect(allowed, `${label}: status ${response.status} ${text.slice(0, 300)}`).toContain(response.status);
  expect(text, `${label}: leaks internals`).not.toMatch(LEAK);
  if (response.status < 400 && !response.headers.get('Content-Type')?.includes('json')) return text; // CSV exports
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
  if (response.status >= 400) {
    expect(typeof body.error?.code, `${label}: ${text.slice(0, 300)}`).toBe('string');
    expect(typeof body.error?.message, `${label}: ${text.slice(0, 300)}`).toBe('string');
  }
  return body;
}

/** Percent-encodes; a lone surrogate becomes the bytes of one (invalid UTF-8 once decoded). */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

const json = (body: unknown) => (JSON.stringify(body) ?? 'undefined') as BodyInit;
const admin = (token: string, path: string, method: string, body?: BodyInit) =>
  send(path, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body }) });

const RUNS = 800;
const ADMIN_STATUSES = [200, 201, 400, 404, 409, 413];

const config = quietConfig({
  cart_reminder: { enabled: true, trigger: { type: 'immediate' } },
  recommendations: { enabled: true },
  signup_benefit: { enabled: true, trigger: { type: 'immediate' } },
});

describe('hostile input, public endpoints', { timeout: 300_000 }, () => {
  it('/v1/decide: documented answers only, and a refused request records no decision', async () => {
    const site = await siteWith(config);
    const valid = {
      site: site.id,
      anon_id: 'anon-fuzz-0001',
      session_id: 'sess-fuzz-0001',
      user_id: 'member-1',
      page: { url: 'https://shop.example/p/1', type: 'product', slots: ['recommendations'], item_id: 'sku-1', lang: 'en', referrer: 'https://search.example/' },
      consent: { analytics: true, marketing: true },
      device: 'mobile',
      session_page_views: 3,
    };
    const decisions = async () => (await env.DB.prepare('SELECT count(*) AS n FROM decisions WHERE site = ?').bind(site.id).first<{ n: number }>())!.n;
    const post = (body: BodyInit, contentType = 'text/plain') => send('/v1/decide', { method: 'POST', headers: { 'Content-Type': contentType }, body });
    await fc.assert(
      fc.asyncProperty(bodiesFrom(valid), fc.constantFrom('text/plain', 'application/json', 'text/plain;charset=UTF-8'), async (body, contentType) => {
        const before = await decisions();
        const response = await post(json(body), contentType);
        await expectDocumented(response, [200, 400, 403, 404, 413, 429], 'decide');
        if (response.status !== 200) expect(await decisions()).toBe(before);
      }),
      { numRuns: 2 * RUNS },
    );
    for (const body of [...rawBodies(JSON.stringify(valid)), 'x'.repeat(20_000)]) {
      const before = await decisions();
      const response = await post(body);
      await expectDocumented(response, [400, 413], `decide raw ${String(body).slice(0, 40)}`);
      expect(await decisions()).toBe(before);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('/v1/recommendations: any query string gets a documented answer', async () => {
    const site = await siteWith(config);
    const keys = ['site', 'anon_id', 'user_id', 'product_id', 'strategy', 'limit', 'cart', '__proto__', 'constructor', 'extra'];
    const value = fc.oneof(hostileString, fc.integer().map(String), fc.constantFrom(site.id, 'trending', 'viewed_together', 'recently_viewed', '8', '0', '25', '-1', '1e9', 'NaN', 'sku-1,sku-2', ',,,'));
    const query = fc.oneof(
      fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 }).map((params) => new URLSearchParams({ site: site.id, ...params }).toString()),
      fc.array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 8 }).map((pairs) => new URLSearchParams(pairs).toString()),
      // Percent-encoding that does not decode, raw bytes, repeated keys.
      fc.constantFrom('site=%E0%A4%A', 'site=%ZZ&limit=%', `site=${site.id}&limit=%FF%FE`, `site=${site.id}&cart=${'a,'.repeat(3000)}`, `site=${site.id}&site=other`, `site=${site.id}&product_id=${'%F0%9F%98%80'.repeat(200)}`, '&&&==', 'site'),
    );
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        await expectDocumented(await send(`/v1/recommendations?${q}`), [200, 400, 403, 404, 414, 429], `recommendations ?${q.slice(0, 80)}`);
      }),
      { numRuns: 2 * RUNS },
    );
  });
});

describe('hostile input, admin endpoints', { timeout: 300_000 }, () => {
  it('config PUT and rollback: a refused change leaves the config and its history as they were', async () => {
    const site = await siteWith(config);
    const path = `/v1/admin/sites/${site.id}/config`;
    const snapshot = async () => JSON.stringify([await (await admin(site.token, path, 'GET')).json(), await (await admin(site.token, `${path}/history`, 'GET')).json()]);
    let before = await snapshot();
    const check = async (response: Response, label: string) => {
      await expectDocumented(response, ADMIN_STATUSES, label);
      const after = await snapshot();
      if (response.status !== 200) expect(after, `${label} changed the config`).toBe(before);
      before = after;
    };
    await fc.assert(
      fc.asyncProperty(bodiesFrom(config), async (body) => check(await admin(site.token, path, 'PUT', json(body)), 'config PUT')),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(bodiesFrom({ version: 1 }), async (body) => check(await admin(site.token, `${path}/rollback`, 'POST', json(body)), 'rollback')),
      { numRuns: RUNS / 4 },
    );
    for (const body of [...rawBodies(JSON.stringify(config)), 'x'.repeat(300 * 1024)]) {
      await check(await admin(site.token, path, 'PUT', body), `config raw ${String(body).slice(0, 40)}`);
      await check(await admin(site.token, `${path}/rollback`, 'POST', body), `rollback raw ${String(body).slice(0, 40)}`);
    }
    for (const ifMatch of ['abc', '1.5', '', '"', '-1', '99999999999999999999']) {
      const response = await send(path, { method: 'PUT', headers: { Authorization: `Bearer ${site.token}`, 'If-Match': ifMatch }, body: JSON.stringify(config) });
      await check(response, `If-Match ${ifMatch}`);
    }
  });

  it('catalog PUT: a refused upload changes no catalogue row', async () => {
    const site = await siteWith(config);
    const path = `/v1/admin/sites/${site.id}/catalog`;
    const item = { item_id: 'sku-1', name: 'Mug', price: 9000, currency: 'KRW', image_url: 'https://cdn.example/m.jpg', url: 'https://shop.example/p/1', category: 'kitchen', brand: 'Acme', available: true };
    const valid = { items: [item, { ...item, item_id: 'sku-2' }] };
    const catalog = async () => JSON.stringify((await env.DB.prepare('SELECT * FROM catalog WHERE site = ? ORDER BY item_id').bind(site.id).all()).results);
    let before = await catalog();
    const check = async (response: Response, label: string) => {
      await expectDocumented(response, ADMIN_STATUSES, label);
      const after = await catalog();
      if (response.status !== 200) expect(after, `${label} changed the catalogue`).toBe(before);
      before = after;
    };
    await fc.assert(
      fc.asyncProperty(bodiesFrom(valid), async (body) => check(await admin(site.token, path, 'PUT', json(body)), 'catalog PUT')),
      { numRuns: RUNS },
    );
    // One bad item in a large upload refuses the whole upload.
    const many = { items: Array.from({ length: 1000 }, (_, i) => ({ ...item, item_id: `bulk-${i}` })) };
    (many.items[999] as Record<string, unknown>).image_url = 'javascript:alert(1)';
    await check(await admin(site.token, path, 'PUT', json(many)), 'catalog one bad of 1000');
    await check(await admin(site.token, path, 'PUT', json({ items: [...many.items, item] })), 'catalog 1001 items');
    for (const body of [...rawBodies(JSON.stringify(valid)), 'x'.repeat(3 * 1024 * 1024)]) await check(await admin(site.token, path, 'PUT', body), `catalog raw ${String(body).slice(0, 40)}`);
    for (const q of ['after=%ZZ', `after=${'x'.repeat(500)}`, 'limit=-5', 'limit=1e400', 'limit=abc']) await expectDocumented(await admin(site.token, `${path}?${q}`, 'GET'), [200, 400], `catalog GET ?${q}`);
  });

  it('events POST: stores exactly what it accepts, nothing from a refused batch', async () => {
    const site = await siteWith(config, { rate: { events_per_second: 1_000_000, burst: 10_000_000 } });
    const path = `/v1/admin/sites/${site.id}/events`;
    const valid = { sent_at: Date.now(), events: [makeEvent({ name: 'order_delivered', user_id: 'member-1', props: { transaction_id: 'tx-1' } }), makeEvent()] };
    const count = async () => (await env.DB.prepare('SELECT count(*) AS n FROM events WHERE site = ?').bind(site.id).first<{ n: number }>())!.n;
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(bodiesFrom(valid), async (body) => {
        // Fresh ids every run, so an accepted event is a new row.
        const fresh = JSON.parse(JSON.stringify(body).replace(/evt-[0-9a-f-]{36}/g, () => `evt-${crypto.randomUUID()}`)) as unknown;
        const response = await admin(site.token, path, 'POST', json(fresh));
        const answer = (await expectDocumented(response, [202, 400, 404, 413, 429], 'events POST')) as { accepted?: number };
        if (response.status === 202) stored += answer.accepted ?? 0;
        expect(await count()).toBe(stored);
      }),
      { numRuns: RUNS },
    );
    for (const body of [...rawBodies(JSON.stringify(valid)), 'x'.repeat(100 * 1024)]) {
      const fresh = typeof body === 'string' ? body.replace(/evt-[0-9a-f-]{36}/g, () => `evt-${crypto.randomUUID()}`) : body;
      const response = await admin(site.token, path, 'POST', fresh);
      const answer = (await expectDocumented(response, [202, 400, 413], `events raw ${String(body).slice(0, 40)}`)) as { accepted?: number };
      if (response.status === 202) stored += answer.accepted ?? 0;
      expect(await count()).toBe(stored);
    }
  });

  it('webhooks PUT and site settings PUT: a refused change keeps the settings', async () => {
    const site = await siteWith(config);
    const hooks = `/v1/admin/sites/${site.id}/webhooks`;
    const settings = `/v1/admin/sites/${site.id}`;
    const snapshot = async () => JSON.stringify([await (await admin(site.token, hooks, 'GET')).json(), await (await admin(OPERATOR_TOKEN, settings, 'GET')).json()]);
    let before = await snapshot();
    const check = async (response: Response, label: string) => {
      await expectDocumented(response, [...ADMIN_STATUSES, 403], label);
      const after = await snapshot();
      if (response.status >= 300) expect(after, `${label} changed settings`).toBe(before);
      before = after;
    };
    await fc.assert(
      fc.asyncProperty(bodiesFrom({ reviews_url: 'https://hooks.example/reviews', rotate_secret: false }), async (body) => check(await admin(site.token, hooks, 'PUT', json(body)), 'webhooks PUT')),
      { numRuns: RUNS / 2 },
    );
    const siteSettings = { name: 'Fuzz shop', allowed_origins: ['https://shop.example', 'http://localhost:*'], consent_mode: 'opt-out', rate: { events_per_second: 500, burst: 5000 } };
    await fc.assert(
      fc.asyncProperty(bodiesFrom(siteSettings), async (body) => check(await admin(OPERATOR_TOKEN, settings, 'PUT', json(body)), 'site PUT')),
      { numRuns: RUNS / 2 },
    );
    for (const body of rawBodies(JSON.stringify(siteSettings))) {
      await check(await admin(site.token, hooks, 'PUT', body), `webhooks raw ${String(body).slice(0, 40)}`);
      await check(await admin(OPERATOR_TOKEN, settings, 'PUT', body), `site raw ${String(body).slice(0, 40)}`);
    }
  });

  it('read endpoints and unknown sites: documented answers for any site id, visitor or query', async () => {
    const site = await siteWith(config);
    const segment = fc.oneof(hostileString.filter((s) => s.length > 0 && s.length < 300), fc.constant(site.id)).map(encode);
    const route = fc.constantFrom('config', 'config/history', 'report', 'catalog', 'leads.csv', 'reviews.csv', 'webhooks', 'profile?anon_id=', 'profile?user_id=', 'report?from=', 'report?days=');
    await fc.assert(
      fc.asyncProperty(segment, route, hostileString, async (siteId, what, tail) => {
        const url = `/v1/admin/sites/${siteId}/${what}${what.endsWith('=') ? encode(tail) : ''}`;
        await expectDocumented(await admin(OPERATOR_TOKEN, url, 'GET'), [200, 400, 404], `GET ${url.slice(0, 100)}`);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(hostileString.filter((s) => s.length > 0), async (visitor) => {
        const url = `/v1/admin/sites/${site.id}/visitors/${encode(visitor)}`;
        await expectDocumented(await admin(site.token, url, 'DELETE'), [200, 400, 404], `DELETE ${url.slice(0, 100)}`);
      }),
      { numRuns: RUNS / 4 },
    );
  });
});

describe('errors tell nothing of the internals', () => {
  it('a failure inside the worker (a corrupt stored record) answers a generic 500 without stack, paths or SQL', async () => {
    // Storage holding what no code path writes (never read before, so no cache has a good copy):
    // each request below throws deep inside the worker.
    const site = { id: `corrupt-${Date.now().toString(36)}`, token: OPERATOR_TOKEN };
    await env.KV.put(`site:${site.id}`, '{"id": "broken", "rate": ');
    const calls: [string, RequestInit][] = [
      ['/v1/collect', { method: 'POST', body: JSON.stringify({ site: site.id, sent_at: Date.now(), events: [makeEvent()] }) }],
      ['/v1/decide', { method: 'POST', body: JSON.stringify({ site: site.id, anon_id: 'anon-leak-0001', session_id: 'sess-leak-0001', page: { url: 'https://shop.example/' }, consent: { analytics: true, marketing: true } }) }],
      [`/v1/recommendations?site=${site.id}`, {}],
      [`/v1/admin/sites/${site.id}/config`, { headers: { Authorization: `Bearer ${site.token}` } }],
    ];
    for (const [path, init] of calls) {
      const response = await send(path, init);
      const text = await response.text();
      expect(response.status, `${path}: ${text}`).toBe(500);
      expect(text, path).not.toMatch(LEAK);
      expect(text, path).not.toMatch(/broken|JSON|Unexpected|position/i);
      expect(JSON.parse(text), path).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });

  it('unknown routes and methods answer the documented 404', async () => {
    for (const [method, path] of [['GET', '/'], ['DELETE', '/v1/collect'], ['PATCH', '/v1/decide'], ['GET', '/v1/admin'], ['GET', '/.env'], ['GET', '/v1/../../etc/passwd']]) {
      await expectDocumented(await send(path!, { method }), [404, 405], `${method} ${path}`);
    }
  });
});
