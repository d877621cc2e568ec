import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex, timingSafeEqualText } from '../../edge/lib/crypto';
import { makeEvent, OPERATOR_TOKEN, send } from './helpers';
import { quietConfig, siteWith } from './shopper';

// The admin API: nothing is read or written without a token, a site's token opens only its own
// site, the operator token opens all, and near-miss tokens fail like any wrong token.

type Site = { id: string; token: string };
let a: Site;
let b: Site;

/** Every admin route, with a body that would succeed. */
const ROUTES: { method: string; path: (site: string) => string; body?: () => unknown; operatorOnly?: boolean }[] = [
  { method: 'GET', path: (s) => `/v1/admin/sites/${s}` },
  { method: 'PUT', path: (s) => `/v1/admin/sites/${s}`, body: () => ({ allowed_origins: ['https://shop.example'] }), operatorOnly: true },
  { method: 'PUT', path: (s) => `/v1/admin/sites/${s}/staff`, body: () => ({ staff_user_ids: ['staff-auth'] }) },
  { method: 'GET', path: (s) => `/v1/admin/sites/${s}/config` },
  { method: 'PUT', path: (s) => `/v1/admin/sites/${s}/config`, body: () => quietConfig({ cart_reminder: { enabled: true } }) },
  { method: 'GET', path: (s) => `/v1/admin/sites/${s}/config/history` },
  { method: 'POST', path: (s) => `/v1/admin/sites/${s}/config/rollback`, body: () => ({ version: 1 }) },
  { method: 'GET', path: (s) => `/v1/admin/sites/${s}/catalog` },
  { method: 'PUT', path: (s) => `/v1/admin/sites/${s}/catalog`, body: () => ({ items: [{ item_id: 'sku-auth', name: 'Mug' }] }) },
  { method: 'POST', path: (s) => `/v1/admin/sites/${s}/events`, body: () => ({ events: [makeEvent({ name: 'order_delivered', user_id: 'member-auth' })] }) },
  { method: 'GET', path: (s) => `/v1/admin/sites/${s}/leads.csv` },
  { method: 'GET', path: (s) => `/v1/admin/sites/${s}/reviews.csv` },
  { method: 'GET', path: (s) => `/v1/admin/sites/${s}/profile?anon_id=anon-auth-0001` },
  { method: 'GET', path: (s) => `/v1/admin/sites/${s}/webhooks` },
  { method: 'GET', path: (s) => `/v1/admin/sites/${s}/tagging` },
  { method: 'PUT', path: (s) => `/v1/admin/sites/${s}/webhooks`, body: () => ({ reviews_url: 'https://hooks.example/r' }) },
  { method: 'DELETE', path: (s) => `/v1/admin/sites/${s}/visitors/a:anon-auth-0001` },
  { method: 'GET', path: (s) => `/v1/admin/sites/${s}/deliveries` },
  { method: 'POST', path: (s) => `/v1/admin/sites/${s}/deliveries/replay`, body: () => ({}) },
  { method: 'GET', path: (s) => `/v1/admin/sites/${s}/handoffs/cart-abandoned-1h.json` },
  { method: 'GET', path: (s) => `/v1/admin/sites/${s}/handoffs/cart-abandoned-1h.csv` },
];

function call(route: (typeof ROUTES)[number], site: string, authorization?: string): Promise<Response> {
  const body = route.body?.();
  return send(route.path(site), {
    method: route.method,
    headers: { 'Content-Type': 'application/json', ...(authorization === undefined ? {} : { Authorization: authorization }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** What the routes above could change of a site, to show a refused request changed nothing. */
async function stateOf(site: string): Promise<string> {
  const kv = await Promise.all((await env.KV.list()).keys.filter((k) => k.name.includes(site)).map(async (k) => [k.name, await env.KV.get(k.name)]));
  const tables = await Promise.all(
    ['catalog', 'events', 'profiles'].map(async (table) => (await env.DB.prepare(`SELECT * FROM ${table} WHERE site = ? ORDER BY 2`).bind(site).all()).results),
  );
  return JSON.stringify([kv.sort(), tables]);
}

async function expectUnauthorized(response: Response, label: string) {
  expect(response.status, label).toBe(401);
  expect(response.headers.get('WWW-Authenticate'), label).toMatch(/^Bearer/);
  expect(await response.json(), label).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
}

/** A shopper on record, for the profile route to show (and the erasure route to erase). */
const seedVisitor = (site: string) =>
  send('/v1/collect', { method: 'POST', body: JSON.stringify({ site, sent_at: Date.now(), events: [makeEvent({ anon_id: 'anon-auth-0001' })] }) });

beforeAll(async () => {
  a = await siteWith(quietConfig());
  b = await siteWith(quietConfig());
  await seedVisitor(a.id);
});

describe('admin API authentication', () => {
  it('refuses every route without a valid token for that site, and changes nothing', async () => {
    const before = await stateOf(a.id);
    const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(a.token)))].map((x) => x.toString(16).padStart(2, '0')).join('');
    const flip = (token: string, at: number) => token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    const wrong: [string | undefined, string][] = [
      [undefined, 'no Authorization'],
      ['', 'empty'],
      ['Bearer', 'Bearer without token'],
      [`Basic ${btoa(`admin:${a.token}`)}`, 'Basic scheme'],
      [a.token, 'token without scheme'],
      [`Bearer ${b.token}`, "another site's token"],
      [`Bearer ${flip(a.token, 0)}`, 'first character wrong'],
      [`Bearer ${flip(a.token, a.token.length - 1)}`, 'last character wrong'],
      [`Bearer ${a.token.slice(0, -1)}`, 'a prefix'],
      [`Bearer ${a.token}x`, 'one character longer'],
      [`Bearer ${a.token.toUpperCase() === a.token ? a.token.toLowerCase() : a.token.toUpperCase()}`, 'other case'],
      [`Bearer ${digest}`, 'the stored digest itself'],
      [`Bearer ${a.token} ${a.token}`, 'two tokens'],
      [`Bearer ${OPERATOR_TOKEN.slice(0, -1)}`, 'operator prefix'],
      [`Bearer ${'x'.repeat(10_000)}`, 'very long'],
    ];
    for (const route of ROUTES) {
      for (const [authorization, label] of wrong) await expectUnauthorized(await call(route, a.id, authorization), `${route.method} ${route.path(a.id)}: ${label}`);
    }
    expect(await stateOf(a.id)).toBe(before);
  });

  it("a site's token opens every route of its own site and nothing of another", async () => {
    const beforeB = await stateOf(b.id);
    await seedVisitor(a.id);
    for (const route of ROUTES) {
      const own = await call(route, a.id, `Bearer ${a.token}`);
      const label = `${route.method} ${route.path(a.id)}`;
      if (route.operatorOnly) expect(own.status, label).toBe(403);
      else expect(own.status, `${label}: ${await own.clone().text()}`).toBeLessThan(300);
      await expectUnauthorized(await call(route, b.id, `Bearer ${a.token}`), `${label} with site ${a.id}'s token on ${b.id}`);
    }
    expect(await stateOf(b.id)).toBe(beforeB);
  });

  it('the operator token opens every route of every site', async () => {
    for (const site of [a, b]) {
      await seedVisitor(site.id);
      for (const route of ROUTES) {
        const response = await call(route, site.id, `Bearer ${OPERATOR_TOKEN}`);
        expect(response.status, `${route.method} ${route.path(site.id)}: ${await response.clone().text()}`).toBeLessThan(300);
      }
    }
  });

  it('no path spelling reaches an admin route without a token', async () => {
    const variants = [
      `/v1/admin/sites/${a.id}/config/`,
      `/v1/admin/sites/${a.id}/config/history/`,
      `/v1/admin/sites/${a.id}//config`,
      `//v1/admin/sites/${a.id}/config`,
      `/v1/admin/sites/${a.id}/./config`,
      `/v1/admin/sites/x/../${a.id}/config`,
      `/v1/admin/sites/${a.id}%2Fconfig`,
      `/V1/ADMIN/SITES/${a.id}/CONFIG`,
      `/v1/admin/sites/${a.id}/config%00`,
      `/v1/admin/sites/${a.id}/leads.csv?x=1`,
      `/v1/admin/sites/${encodeURIComponent(a.id)}/reviews.csv`,
      `/v1/admin/sites/${a.id}/catalog?after=`,
    ];
    for (const path of variants) {
      for (const method of ['GET', 'PUT', 'POST', 'DELETE']) {
        const response = await send(path, { method, ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }) });
        expect([401, 404], `${method} ${path}: ${response.status}`).toContain(response.status);
      }
    }
  });

  it('compares SHA-256 digests of equal length with workerd\'s timingSafeEqual, whatever length the token has', async () => {
    // The middleware digests the sent token first, so the compare always sees 64 hex characters:
    // no early exit on length, and the byte compare is crypto.subtle.timingSafeEqual.
    const real = await sha256Hex(a.token);
    for (const sent of ['', 'x', a.token.slice(0, 1), a.token.slice(0, -1), `${a.token}x`, 'y'.repeat(10_000), a.token]) {
      const digest = await sha256Hex(sent);
      expect(digest).toHaveLength(real.length);
      expect(timingSafeEqualText(digest, real)).toBe(sent === a.token);
    }
    expect(timingSafeEqualText('abc', 'abcd')).toBe(false);
  });
});
