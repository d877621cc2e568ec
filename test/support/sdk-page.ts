// Helpers for browser tests of the SDK: what a page's outbox holds, what the collector answered,
// and what the SDK said on the console.
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TouchpointFunction } from '../../sdk/api';

declare global {
  interface Window {
    touchpoint: TouchpointFunction;
    dataLayer: unknown[];
  }
}

/** Runs `work` on the SDK's IndexedDB store (database `touchpoint-tracker`, store `outbox`, which holds
 * the events waiting to be sent and the visitor record under `~visitor`). */
function withOutboxStore<T>(page: Page, work: string, arg?: unknown): Promise<T> {
  return page.evaluate(
    ([work, arg]) =>
      new Promise<T>((resolve, reject) => {
        const open = indexedDB.open('touchpoint-tracker');
        // The SDK creates the store the same way when it is first to open the database.
        open.onupgradeneeded = () => open.result.createObjectStore('outbox');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const store = db.transaction('outbox', 'readwrite').objectStore('outbox');
          const request = new Function('store', 'arg', work)(store, arg) as IDBRequest;
          request.onsuccess = () => {
            db.close();
            resolve(request.result);
          };
          request.onerror = () => reject(request.error);
        };
      }),
    [work, arg] as const,
  );
}

/** Events waiting in the page's outbox (everything in the store but the visitor record). */
export const outboxSize = async (page: Page): Promise<number> =>
  (await withOutboxStore<unknown[]>(page, 'return store.getAll()')).filter((value) => (value as { name?: string }).name).length;

export async function waitForEmptyOutbox(page: Page, timeout = 30_000): Promise<void> {
  await expect.poll(() => outboxSize(page), { timeout, interval: 250 }).toBe(0);
}

export interface StoredVisitor {
  anon: string;
  user?: string;
  session?: { id: string; last: number; views: number };
  consent?: { analytics: boolean; marketing: boolean };
}

/** The visitor record the SDK keeps, once it stored one. */
export async function visitorOf(page: Page): Promise<StoredVisitor> {
  await expect.poll(() => withOutboxStore(page, "return store.get('~visitor')")).toBeTruthy();
  return withOutboxStore<StoredVisitor>(page, "return store.get('~visitor')");
}

export const storeVisitor = (page: Page, visitor: StoredVisitor) => withOutboxStore(page, "return store.put(arg, '~visitor')", visitor);

export const anonIdOf = async (page: Page): Promise<string> => (await visitorOf(page)).anon;

/** Every answer of /v1/inbox (the collector) the context saw, and the SDK's console warnings and page errors. */
export function watch(target: BrowserContext | Page) {
  const answers: { status: number; accepted: number; duplicates: number; rejected: unknown[] }[] = [];
  const requests: { at: number; body: string }[] = [];
  const problems: string[] = [];
  const pages = 'pages' in target ? () => target.pages() : () => [target];
  const onPage = (page: Page) => {
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.text().includes('[touchpoint]')) problems.push(`console: ${message.text()}`);
    });
  };
  pages().forEach(onPage);
  if ('pages' in target) target.on('page', onPage);
  target.on('request', (request) => {
    if (request.url().endsWith('/v1/inbox')) requests.push({ at: Date.now(), body: request.postData() ?? '' });
  });
  target.on('response', async (response) => {
    if (!response.url().endsWith('/v1/inbox')) return;
    const body = await response.json().catch(() => ({}));
    answers.push({ status: response.status(), accepted: body.accepted ?? 0, duplicates: body.duplicates ?? 0, rejected: body.rejected ?? [] });
  });
  const accepted = () => answers.reduce((sum, answer) => sum + answer.accepted, 0);
  return {
    answers,
    requests,
    problems,
    accepted,
    duplicates: () => answers.reduce((sum, answer) => sum + answer.duplicates, 0),
    /** Waits until the collector accepted at least `count` events from this context. */
    delivered: (count: number, timeout = 30_000) => expect.poll(accepted, { timeout, interval: 100 }).toBeGreaterThanOrEqual(count),
  };
}

export type EventCount = { name: string; n: number; distinct_n: number };

/** SQL counting one visitor's stored events per name, and how many distinct `props.n` they carry. */
export const countByName = (anonIds: string[]) =>
  `SELECT name, count(*) AS n, count(DISTINCT json_extract(props, '$.n')) AS distinct_n FROM events WHERE site = 'tracker' AND anon_id IN (${anonIds
    .map((id) => `'${id.replace(/'/g, '')}'`)
    .join(',')}) GROUP BY name ORDER BY name`;
