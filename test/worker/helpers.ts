import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../edge/index';

export const OPERATOR_TOKEN = 'test-operator-token-0123456789';
export const BASE = 'https://edge.test';

/** Sends a request through the real worker and waits for its waitUntil work too. */
export async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${BASE}${path}`, init) as never, env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

let siteCounter = 0;
/** Creates a site through the operator API; every test gets its own so caches never mix. No
 * store-wide control group unless `settings` sets `control_group_percent` (the API's default is
 * 5%), so no shopper a test expects to see a prompt lands in it by chance. */
export async function createSite(settings: Record<string, unknown> = {}, id = `t${Date.now().toString(36)}-${++siteCounter}`) {
  const response = await send(`/v1/admin/sites/${id}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ allowed_origins: ['https://shop.example'], control_group_percent: 0, ...settings }),
  });
  if (response.status !== 201) throw new Error(`createSite ${id}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { admin_token: string };
  return { id, token: body.admin_token };
}

let eventCounter = 0;
export function makeEvent(overrides: Record<string, unknown> = {}) {
  eventCounter++;
  return {
    id: `evt-${crypto.randomUUID()}`,
    name: 'page_view',
    ts: Date.now() - 1000,
    anon_id: 'anon-0000001',
    session_id: 'sess-0000001',
    url: `https://shop.example/p/${eventCounter}`,
    props: { title: 'Home' },
    ...overrides,
  };
}

export function batchOf(site: string, events: unknown[], sentAt = Date.now()) {
  return { site, sent_at: sentAt, events };
}

export async function postCollect(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return send('/v1/collect', {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function countEvents(site: string): Promise<number> {
  const row = await env.DB.prepare('SELECT COUNT(*) AS n FROM events WHERE site = ?').bind(site).first<{ n: number }>();
  return row?.n ?? 0;
}
