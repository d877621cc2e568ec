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

/** Events waiting in the page's outbox (IndexedDB `touchpoint-demo`, store `outbox`). */
export function outboxSize(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('touchpoint-demo');
        // The SDK creates the store the same way when it is first to open the database.
        open.onupgradeneeded = () => open.result.createObjectStore('outbox');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('outbox').objectStore('outbox').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error);
        };
      }),
  );
}

export async function waitForEmptyOutbox(page: Page, timeout = 30_000): Promise<void> {
  await expect.poll(() => outboxSize(page), { timeout, interval: 250 }).toBe(0);
}

export const anonIdOf = (page: Page): Promise<string> => page.evaluate(() => localStorage.getItem('tp_aid')!);

/** Every answer of /v1/collect the context saw, and the SDK's console warnings and page errors. */
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
    if (request.url().endsWith('/v1/collect')) requests.push({ at: Date.now(), body: request.postData() ?? '' });
  });
  target.on('response', async (response) => {
    if (!response.url().endsWith('/v1/collect')) return;
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
  `SELECT name, count(*) AS n, count(DISTINCT json_extract(props, '$.n')) AS distinct_n FROM events WHERE site = 'demo' AND anon_id IN (${anonIds
    .map((id) => `'${id.replace(/'/g, '')}'`)
    .join(',')}) GROUP BY name ORDER BY name`;
