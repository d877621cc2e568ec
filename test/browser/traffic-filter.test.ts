// The traffic filter end to end in Chromium: an automated browser (navigator.webdriver), a
// crawler's User-Agent, a staff member and a browser flagged with ?tp_test=1 browse the shop; none
// of their events reach events or profiles, the report counts them by reason, and a shopper
// browsing alongside is stored as always.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import type { ReportT } from '../../edge/contract';
import { launchChromium } from '../support/chromium';
import { queryD1 } from '../support/local-d1';
import { useShopBrowser } from '../support/shop-browser';
import { STUB } from '../support/shop-server';
import { admin, createSite, onlyWidgets, putConfig } from './journey-support';

const WORKER = inject('workerUrl');
const SITE = 'traffic-filter';
const fixture = useShopBrowser();

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

const shopPage = () =>
  fixture.shop.page(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>${STUB}
<script async src="${WORKER}/sdk.js" data-site="${SITE}"></script></head><body><h1>Shop</h1></body></html>`);

/** Browses two pages (plus `query` on the first), tracks one event, and waits for the collector's answer to the last batch. */
async function browse(context: BrowserContext, query = '', before?: (page: Page) => Promise<void>): Promise<string> {
  const page = await context.newPage();
  const url = shopPage();
  await page.goto(url + query);
  await page.waitForFunction(() => (window as { touchpoint?: { loaded?: boolean } }).touchpoint?.loaded === true);
  await before?.(page);
  await page.goto(url + 'next');
  await page.waitForFunction(() => (window as { touchpoint?: { loaded?: boolean } }).touchpoint?.loaded === true);
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname == '/v1/inbox' && r.status() == 202);
  await page.evaluate(() => (window as unknown as { touchpoint: (...args: unknown[]) => void }).touchpoint('track', 'filter_test', {}));
  await answered;
  return page.evaluate(
    (site) =>
      new Promise<string>((resolve) => {
        const open = indexedDB.open(`touchpoint-${site}`);
        open.onsuccess = () => {
          const read = open.result.transaction('outbox').objectStore('outbox').get('~visitor');
          read.onsuccess = () => resolve(read.result.anon);
        };
      }),
    SITE,
  );
}

const storedFor = (anon: string) => queryD1<{ n: number }>(`SELECT count(*) AS n FROM events WHERE site = '${SITE}' AND anon_id = '${anon}'`)[0]?.n ?? 0;
const excludedFor = (anon: string) => queryD1<{ reason: string; n: number }>(`SELECT reason, count(*) AS n FROM excluded_events WHERE site = '${SITE}' AND anon_id = '${anon}' GROUP BY reason`);

describe('the traffic filter in Chromium', () => {
  it('keeps bots, automated browsers, staff and test browsers out, counted by reason in the report', { timeout: 240_000 }, async () => {
    await createSite(SITE, { staff_user_ids: ['staff-kim'] });
    await putConfig(SITE, onlyWidgets({}));

    const automated = await fixture.browser.newContext();
    await automated.addInitScript(() => Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => true }));
    // The crawler's User-Agent for the whole browser: a context's override does not reach the
    // beacons and keepalive requests that outlive their page.
    const crawlerBrowser = await launchChromium({ args: [`--user-agent=${GOOGLEBOT}`] });
    const crawler = await crawlerBrowser.newContext();
    const staff = await fixture.browser.newContext();
    const tester = await fixture.browser.newContext();
    const shopper = await fixture.browser.newContext();

    const anons = {
      webdriver: await browse(automated),
      bot_user_agent: await browse(crawler),
      staff: await browse(staff, '', (page) => page.evaluate(() => (window as unknown as { touchpoint: (...args: unknown[]) => void }).touchpoint('identify', 'staff-kim'))),
      test_browser: await browse(tester, '?tp_test=1'),
      shopper: await browse(shopper),
    };

    // Each excluded browser's three events (two page views and the tracked one; identify too for staff) are counted, none stored.
    await expect.poll(() => storedFor(anons.shopper), { timeout: 15_000 }).toBe(3);
    expect(excludedFor(anons.webdriver)).toEqual([{ reason: 'webdriver', n: 3 }]);
    expect(excludedFor(anons.bot_user_agent)).toEqual([{ reason: 'bot_user_agent', n: 3 }]);
    // Before identify() the staff member is an anonymous shopper: only the events after it name them.
    expect(excludedFor(anons.staff)).toEqual([{ reason: 'staff', n: 3 }]);
    expect(excludedFor(anons.test_browser)).toEqual([{ reason: 'test_browser', n: 3 }]);
    expect(excludedFor(anons.shopper)).toEqual([]);
    for (const anon of [anons.webdriver, anons.bot_user_agent, anons.test_browser]) expect(storedFor(anon)).toBe(0);
    const profiles = queryD1<{ n: number }>(`SELECT count(*) AS n FROM profiles WHERE site = '${SITE}' AND visitor_id IN ('${anons.webdriver}', '${anons.bot_user_agent}', '${anons.test_browser}', 'staff-kim')`)[0]?.n;
    expect(profiles).toBe(0);

    const response = await admin(SITE, '/report');
    const report = (await response.json()) as ReportT;
    expect(report.excluded_events.by_reason).toMatchObject({ webdriver: 3, bot_user_agent: 3, staff: 3, test_browser: 3 });
    expect(report.excluded_events.total).toBe(12);
    for (const context of [automated, crawler, staff, tester, shopper]) await context.close();
    await crawlerBrowser.close();
  });
});
