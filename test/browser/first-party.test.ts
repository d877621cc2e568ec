// First-party serving with the edge's own host blocked, as an ad or tracking blocker would block
// it: the shop serves the script, its chunks, the widget modules and the endpoints under /px on its
// own domain (a stand-in for a Cloudflare route on the shop's zone: the path goes to the worker
// unchanged). Every event is stored exactly once and the prompt is still shown.
import type { Request as PageRequest } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import { queryD1 } from '../support/local-d1';
import { startShopServer, STUB, type ShopServer } from '../support/shop-server';
import { createSite, onlyWidgets, putConfig } from './journey-support';

const WORKER = inject('workerUrl');
const SITE = 'first-party';
const PREFIX = '/px';

let browser: Awaited<ReturnType<typeof launchChromium>>;
let shop: ShopServer;
beforeAll(async () => {
  [browser, shop] = await Promise.all([launchChromium(), startShopServer({ prefix: PREFIX, to: WORKER })]);
});
afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

/** The README's first-party embed: the script from the shop's own path, nothing naming the edge. */
const page = (title: string) =>
  `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>${title}</title>${STUB}
<script async src="${PREFIX}/sdk.js" data-site="${SITE}"></script></head><body><h1>${title}</h1></body></html>`;

describe('first-party serving', () => {
  it('loses nothing and still shows prompts when the edge host is blocked', { timeout: 90_000 }, async () => {
    await createSite(SITE);
    await putConfig(SITE, onlyWidgets({ signup_benefit: { settings: { signup_url: '/signup', email_capture: false } } }));
    const urls = [page('홈'), page('주방'), page('머그컵')].map((body) => shop.page(body));

    const context = await browser.newContext();
    const blocked: string[] = [];
    await context.route(`${WORKER}/**`, (route) => {
      blocked.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    const firstParty: string[] = [];
    context.on('request', (request: PageRequest) => {
      const url = new URL(request.url());
      if (url.origin == shop.origin && url.pathname.startsWith(PREFIX)) firstParty.push(url.pathname);
    });
    const tab = await context.newPage();
    for (const url of urls) {
      await tab.goto(url);
      await tab.waitForFunction(() => (window as { touchpoint?: { loaded?: boolean } }).touchpoint?.loaded === true);
      await tab.evaluate(() => (window as unknown as { touchpoint: (...args: unknown[]) => void }).touchpoint('track', 'first_party_test', { page: document.title }));
    }
    // The third page view brings the signup benefit, from the first-party widget module.
    const modal = tab.locator('[data-touchpoint-widget="signup_benefit"]');
    await expect.poll(() => modal.getByRole('dialog').isVisible(), { timeout: 20_000 }).toBe(true);

    const anon = await tab.evaluate(
      (site) =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open(`touchpoint-${site}`);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const read = open.result.transaction('outbox').objectStore('outbox').get('~visitor');
            read.onsuccess = () => resolve(read.result.anon);
          };
        }),
      SITE,
    );
    const stored = () =>
      queryD1<{ name: string; n: number; distinct_n: number }>(
        `SELECT name, count(*) AS n, count(DISTINCT id) AS distinct_n FROM events WHERE site = '${SITE}' AND anon_id = '${anon}' AND name IN ('page_view', 'first_party_test', 'widget_impression') GROUP BY name ORDER BY name`,
      );
    await expect
      .poll(stored, { timeout: 30_000, interval: 500 })
      .toEqual([
        { name: 'first_party_test', n: 3, distinct_n: 3 },
        { name: 'page_view', n: 3, distinct_n: 3 },
        { name: 'widget_impression', n: 1, distinct_n: 1 },
      ]);

    // Nothing asked the edge's own host; the script, the chunk, the widget and the endpoints came from the shop.
    expect(blocked).toEqual([]);
    expect(firstParty).toEqual(expect.arrayContaining([`${PREFIX}/sdk.js`, `${PREFIX}/v1/inbox`, `${PREFIX}/v1/decide`, `${PREFIX}/sdk-show.js`, `${PREFIX}/widgets/signup_benefit.js`]));
    // Neutral names in what the shop serves: nothing a blocker's path rules look for.
    for (const path of firstParty) expect(path).not.toMatch(/analytics|track|collect|pixel/i);
    await context.close();
  });
});
