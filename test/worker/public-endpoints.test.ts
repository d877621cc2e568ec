import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { batchOf, createSite, makeEvent, OPERATOR_TOKEN, send } from './helpers';
import { quietConfig, siteWith } from './shopper';

// The endpoints shop pages call, as a browser on another origin sees them: CORS only for the
// site's origins, body limits on every route that reads a body, and 429 with Retry-After.

const ALLOWED = ['https://shop.example', 'http://localhost:5173'];
const FOREIGN = ['https://evil.example', 'https://shop.example.evil.example', 'http://localhost.evil.example:5173', 'null', 'https://shop.example:8443'];

const count = async (table: string, site: string) => (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE site = ?`).bind(site).first<{ n: number }>())!.n;

/** One call of each public endpoint for `site`, from `origin`. */
function publicCalls(site: string) {
  return {
    collect: (headers: Record<string, string>) =>
      send('/v1/collect', { method: 'POST', headers: { 'Content-Type': 'text/plain', ...headers }, body: JSON.stringify(batchOf(site, [makeEvent()])) }),
    decide: (headers: Record<string, string>) =>
      send('/v1/decide', {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', ...headers },
        body: JSON.stringify({ site, anon_id: 'anon-cors-0001', session_id: 'sess-cors-0001', page: { url: 'https://shop.example/' }, consent: { analytics: true, marketing: true } }),
      }),
    recommendations: (headers: Record<string, string>) => send(`/v1/recommendations?site=${site}&strategy=trending`, { headers }),
  };
}

describe('CORS', () => {
  it('answers only the site\'s allowed origins, and refuses others before storing anything', async () => {
    const site = await siteWith(quietConfig({ cart_reminder: { enabled: true, trigger: { type: 'immediate' } } }), { allowed_origins: ['https://shop.example', 'http://localhost:*'] });
    for (const [name, call] of Object.entries(publicCalls(site.id))) {
      for (const origin of ALLOWED) {
        const response = await call({ Origin: origin });
        expect(response.status, `${name} from ${origin}`).toBeLessThan(300);
        expect(response.headers.get('Access-Control-Allow-Origin'), `${name} from ${origin}`).toBe(origin);
        expect(response.headers.get('Access-Control-Allow-Credentials')).toBeNull();
      }
      const events = await count('events', site.id);
      const decisions = await count('decisions', site.id);
      for (const origin of FOREIGN) {
        const response = await call({ Origin: origin });
        expect(response.status, `${name} from ${origin}`).toBe(403);
        expect(response.headers.get('Access-Control-Allow-Origin'), `${name} from ${origin}`).toBeNull();
        expect(await response.json()).toMatchObject({ error: { code: 'origin_not_allowed' } });
      }
      expect(await count('events', site.id)).toBe(events);
      expect(await count('decisions', site.id)).toBe(decisions);
    }
  });

  it('preflights allow only GET/POST with Content-Type, never credentials; admin routes get no CORS at all', async () => {
    for (const path of ['/v1/collect', '/v1/decide', '/v1/recommendations']) {
      const response = await send(path, { method: 'OPTIONS', headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });
      expect(response.status).toBeLessThan(300);
      expect(response.headers.get('Access-Control-Allow-Methods')).toBe('GET,POST,OPTIONS');
      expect(response.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toBe('content-type');
      expect(response.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    }
    const site = await createSite();
    for (const path of [`/v1/admin/sites/${site.id}/config`, `/v1/admin/sites/${site.id}`, `/v1/admin/sites/${site.id}/leads.csv`]) {
      const preflight = await send(path, { method: 'OPTIONS', headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' } });
      expect(preflight.headers.get('Access-Control-Allow-Origin'), path).toBeNull();
      const read = await send(path, { headers: { Origin: 'https://shop.example', Authorization: `Bearer ${site.token}` } });
      expect(read.headers.get('Access-Control-Allow-Origin'), path).toBeNull();
    }
  });
});

describe('body limits', () => {
  /** A body of `bytes` bytes, declared (Content-Length) or streamed in chunks without a length. */
  const body = (bytes: number, streamed: boolean): RequestInit => {
    const text = `{"pad":"${'x'.repeat(bytes)}"}`;
    if (!streamed) return { body: text };
    const chunk = new TextEncoder().encode(text);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < chunk.length; i += 8192) controller.enqueue(chunk.slice(i, i + 8192));
        controller.close();
      },
    });
    return { body: stream, duplex: 'half' } as RequestInit;
  };

  it('answers 413 body_too_large on every route that reads a body, declared or streamed, and stores nothing', async () => {
    const site = await createSite();
    const admin = { Authorization: `Bearer ${OPERATOR_TOKEN}` };
    const routes: [string, string, number, Record<string, string>][] = [
      ['POST', '/v1/collect', 64 * 1024, {}],
      ['POST', '/v1/decide', 16 * 1024, {}],
      ['PUT', `/v1/admin/sites/${site.id}/config`, 256 * 1024, admin],
      ['POST', `/v1/admin/sites/${site.id}/config/rollback`, 16 * 1024, admin],
      ['PUT', `/v1/admin/sites/${site.id}/catalog`, 2 * 1024 * 1024, admin],
      ['POST', `/v1/admin/sites/${site.id}/events`, 64 * 1024, admin],
      ['PUT', `/v1/admin/sites/${site.id}/webhooks`, 16 * 1024, admin],
      ['PUT', `/v1/admin/sites/${site.id}`, 16 * 1024, admin],
      ['POST', `/v1/admin/sites/${site.id}/visitors/a:anon-limit-01`, 2 * 1024 * 1024, admin],
      ['POST', '/v1/no-such-route', 2 * 1024 * 1024, {}],
    ];
    const before = JSON.stringify([await env.KV.get(`site:${site.id}`), await count('events', site.id), await count('catalog', site.id)]);
    for (const [method, path, limit, headers] of routes) {
      for (const streamed of [false, true]) {
        const response = await send(path, { method, headers: { 'Content-Type': 'text/plain', ...headers }, ...body(limit + 1, streamed) });
        expect(response.status, `${method} ${path} ${streamed ? 'streamed' : 'declared'}`).toBe(413);
        expect(await response.json()).toEqual({ error: { code: 'body_too_large', message: expect.any(String) } });
      }
    }
    expect(JSON.stringify([await env.KV.get(`site:${site.id}`), await count('events', site.id), await count('catalog', site.id)])).toBe(before);
  });
});

describe('rate limits', () => {
  it('collect, decide and recommendations answer 429 with Retry-After past the site\'s rate, each with a bucket of its own', async () => {
    const site = await siteWith(quietConfig({ cart_reminder: { enabled: true } }), { rate: { events_per_second: 1, burst: 3 } });
    const calls = publicCalls(site.id);
    for (const [name, call] of Object.entries(calls)) {
      const statuses: number[] = [];
      let refused: Response | undefined;
      for (let i = 0; i < 5; i++) {
        const response = await call({ Origin: 'https://shop.example' });
        statuses.push(response.status);
        if (response.status === 429) refused = response;
      }
      expect(statuses.slice(0, 3).every((s) => s < 300), `${name}: ${statuses}`).toBe(true);
      expect(statuses.slice(3), name).toEqual([429, 429]);
      expect(Number(refused!.headers.get('Retry-After')), name).toBeGreaterThanOrEqual(1);
      // The browser may read the refusal and its Retry-After.
      expect(refused!.headers.get('Access-Control-Allow-Origin')).toBe('https://shop.example');
      expect(refused!.headers.get('Access-Control-Expose-Headers')).toContain('Retry-After');
      expect(await refused!.json()).toMatchObject({ error: { code: 'rate_limited' } });
    }
    expect(await count('events', site.id)).toBe(3);
  });
});
