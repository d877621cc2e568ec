// The outbox against the real worker in real Chromium: nothing lost, nothing stored twice,
// under offline periods, reloads mid-send, several tabs and a failing collector.
import type { APIResponse, Route } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { queryD1 } from '../support/local-d1';
import { anonIdOf, countByName, outboxSize, waitForEmptyOutbox, watch, type EventCount } from '../support/sdk-page';
import { shopPage } from '../support/shop-server';
import { useShopBrowser } from '../support/shop-browser';

const workerUrl = inject('workerUrl');
const fixture = useShopBrowser();

describe('SDK delivery', () => {
  it('offline: keeps events, and stores each exactly once when the network is back', async () => {
    const context = await fixture.browser.newContext();
    const page = await context.newPage();
    const seen = watch(context);
    await page.goto(fixture.shop.page(shopPage(workerUrl)));
    await seen.delivered(1);

    await context.setOffline(true);
    await page.evaluate(() => {
      for (let n = 0; n < 30; n++) window.touchpoint.track('offline_test', { n });
    });
    await page.waitForTimeout(3_000); // the batch timer and a failed attempt or two
    expect(await outboxSize(page)).toBe(30);

    await context.setOffline(false);
    await waitForEmptyOutbox(page);
    const rows = queryD1<EventCount>(countByName([await anonIdOf(page)]));
    expect(rows).toEqual([
      { name: 'offline_test', n: 30, distinct_n: 30 },
      { name: 'page_view', n: 1, distinct_n: 0 },
    ]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('reload during a pending send: nothing lost, nothing doubled', async () => {
    const context = await fixture.browser.newContext();
    const page = await context.newPage();
    const seen = watch(context);
    let hold = false;
    let held: { route: Route; response: APIResponse } | undefined;
    await context.route('**/v1/inbox', async (route) => {
      if (hold && !held) {
        // The collector stores the batch, but its answer never reaches the page before the reload.
        held = { route, response: await route.fetch() };
        return;
      }
      await route.continue().catch(() => {});
    });
    await page.goto(fixture.shop.page(shopPage(workerUrl)));
    await seen.delivered(1);

    hold = true;
    await page.evaluate(() => {
      for (let n = 0; n < 10; n++) window.touchpoint.track('reload_test', { n });
    });
    await expect.poll(() => held !== undefined, { timeout: 10_000 }).toBe(true);
    expect(await outboxSize(page)).toBe(10); // not acknowledged, so still stored
    await page.reload();
    await waitForEmptyOutbox(page);
    await held!.route.fulfill({ response: held!.response }).catch(() => {});

    // The reloaded page sent the same 10 events again; the collector knew them by id.
    expect(seen.duplicates()).toBe(10);
    const rows = queryD1<EventCount>(countByName([await anonIdOf(page)]));
    expect(rows).toEqual([
      { name: 'page_view', n: 2, distinct_n: 0 },
      { name: 'reload_test', n: 10, distinct_n: 10 },
    ]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('two tabs: one sends at a time, no event is sent twice', async () => {
    const context = await fixture.browser.newContext();
    const seen = watch(context);
    const url = fixture.shop.page(shopPage(workerUrl));
    const [a, b] = await Promise.all([context.newPage(), context.newPage()]);
    await Promise.all([a.goto(url), b.goto(url)]);
    const trackFrom = (first: number) => async (page: typeof a) =>
      page.evaluate(async (first) => {
        for (let n = first; n < first + 25; n++) {
          window.touchpoint.track('two_tabs_test', { n });
          await new Promise((resolve) => setTimeout(resolve, 15 + Math.random() * 30));
        }
      }, first);
    await Promise.all([trackFrom(0)(a), trackFrom(25)(b)]);
    await Promise.all([waitForEmptyOutbox(a), waitForEmptyOutbox(b)]);
    await seen.delivered(52);

    expect(seen.duplicates()).toBe(0);
    expect(await anonIdOf(a)).toBe(await anonIdOf(b));
    const rows = queryD1<EventCount>(countByName([await anonIdOf(a)]));
    expect(rows).toEqual([
      { name: 'page_view', n: 2, distinct_n: 0 },
      { name: 'two_tabs_test', n: 50, distinct_n: 50 },
    ]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('a collector failing for a while (429 with Retry-After, then 500s): delivered after, once', async () => {
    const context = await fixture.browser.newContext();
    const page = await context.newPage();
    const seen = watch(context);
    const attempts: number[] = [];
    const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Retry-After' };
    await context.route('**/v1/inbox', async (route) => {
      attempts.push(Date.now());
      if (attempts.length == 1) return route.fulfill({ status: 429, headers: { ...cors, 'Retry-After': '3' }, contentType: 'application/json', body: '{"error":{"code":"rate_limited","message":"slow down"}}' });
      if (attempts.length <= 3) return route.fulfill({ status: 500, headers: cors, contentType: 'application/json', body: '{"error":{"code":"internal","message":"down"}}' });
      await route.continue();
    });
    await page.goto(fixture.shop.page(shopPage(workerUrl)));
    await page.evaluate(() => {
      for (let n = 0; n < 5; n++) window.touchpoint.track('flaky_test', { n });
    });
    await waitForEmptyOutbox(page, 40_000);

    expect(attempts.length).toBe(4);
    // Retry-After: 3 (more than the first backoff step, 0.5-1 s); then backoff with jitter, at least 1 and 2 s.
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(2_950);
    expect(gaps[1]).toBeGreaterThanOrEqual(950);
    expect(gaps[2]).toBeGreaterThanOrEqual(1_950);
    const rows = queryD1<EventCount>(countByName([await anonIdOf(page)]));
    expect(rows).toEqual([
      { name: 'flaky_test', n: 5, distinct_n: 5 },
      { name: 'page_view', n: 1, distinct_n: 0 },
    ]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });
});
