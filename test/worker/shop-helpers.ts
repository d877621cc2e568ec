// Shop activity for the widget-data tests: events as a shop page sends them, through the real
// collector, and admin calls with a site's own token.
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { batchOf, makeEvent, postCollect, send } from './helpers';

export interface Shopper {
  anon_id: string;
  session_id: string;
  user_id?: string;
}

let shopperCounter = 0;
export function shopper(overrides: Partial<Shopper> = {}): Shopper {
  shopperCounter++;
  return { anon_id: `anon-${crypto.randomUUID()}`, session_id: `sess-${shopperCounter}-${crypto.randomUUID().slice(0, 8)}`, ...overrides };
}

export interface TestItem {
  item_id: string;
  item_name?: string;
  price?: number;
  quantity?: number;
  item_category?: string;
  image_url?: string;
  url?: string;
}

export function event(who: Shopper, name: string, props: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return makeEvent({ name, props, anon_id: who.anon_id, session_id: who.session_id, ...(who.user_id ? { user_id: who.user_id } : {}), ...extra });
}

export const viewItem = (who: Shopper, item: TestItem, extra: Record<string, unknown> = {}) =>
  event(who, 'view_item', { currency: 'KRW', items: [item] }, { url: `https://shop.example/p/${item.item_id}`, ...extra });
export const addToCart = (who: Shopper, item: TestItem) => event(who, 'add_to_cart', { currency: 'KRW', items: [item] });
export const removeFromCart = (who: Shopper, item: TestItem) => event(who, 'remove_from_cart', { currency: 'KRW', items: [item] });
export const purchase = (who: Shopper, transactionId: string, items: TestItem[]) =>
  event(who, 'purchase', { transaction_id: transactionId, currency: 'KRW', value: 1000, items });

/** Sends events through POST /v1/collect and checks the batch was applied (not left to the sweep). */
export async function collect(site: string, events: unknown[]): Promise<void> {
  const response = await postCollect(batchOf(site, events));
  expect(response.status).toBe(202);
  const body = (await response.json()) as { rejected: unknown[] };
  expect(body.rejected).toEqual([]);
  const pending = await env.DB.prepare('SELECT COUNT(*) AS n FROM ingest_batches WHERE site = ? AND processed_at IS NULL').bind(site).first<{ n: number }>();
  expect(pending?.n, 'every batch was applied by its processors').toBe(0);
}

export function admin(token: string, path: string, init: RequestInit = {}): Promise<Response> {
  return send(path, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) } });
}

export async function uploadCatalog(site: { id: string; token: string }, items: Record<string, unknown>[]): Promise<void> {
  const response = await admin(site.token, `/v1/admin/sites/${site.id}/catalog`, { method: 'PUT', body: JSON.stringify({ items }) });
  expect(response.status, await response.clone().text()).toBe(200);
}

export function rows<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]> {
  return env.DB.prepare(sql).bind(...params).all<T>().then((r) => r.results);
}
