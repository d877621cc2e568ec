// Delivery under faults: many shopper sessions in real Chromium against the real worker while
// about half of the collector requests fail (500s, refused connections, answers lost after the
// batch was stored, slow answers, no answer until the SDK's timeout), browsers go offline for a
// while, and tabs close in the middle of sends and are reopened. At the end every event generated
// is in D1 exactly once.
import type { BrowserContext, Page, Route } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { queryD1 } from '../support/local-d1';
import { anonIdOf, outboxSize } from '../support/sdk-page';
import { shopPage, TRACKER_SITE } from '../support/shop-server';
import { useShopBrowser } from '../support/shop-browser';

const workerUrl = inject('workerUrl');
const CONTEXTS = 4;
const TABS_PER_CONTEXT = 3;
const RUN = `faults-${Date.now().toString(36)}`;

const fixture = useShopBrowser();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the interception did to collector requests. */
const faults = { requests: 0, error500: 0, refused: 0, answerLost: 0, slow: 0, hung: 0 };
let faulty = true;

/** Fails about half of the collector requests, each in one of four ways. */
async function faultyCollector(route: Route) {
  faults.requests++;
  const roll = Math.random();
  try {
    if (!faulty || roll >= 0.55) return await route.continue();
    if (roll < 0.05 && faults.hung < 3) {
      // No answer at all: the SDK's own request timeout (30 s) has to give up on it.
      faults.hung++;
      await sleep(35_000);
      return await route.abort('timedout');
    }
    if (roll < 0.2) {
      faults.error500++;
      return await route.fulfill({ status: 500, headers: { 'Access-Control-Allow-Origin': '*' }, contentType: 'application/json', body: '{"error":{"code":"internal","message":"injected"}}' });
    }
    if (roll < 0.33) {
      faults.refused++;
      return await route.abort('connectionrefused');
    }
    if (roll < 0.46) {
      // The collector stores the batch, but the connection drops before its answer arrives.
      faults.answerLost++;
      await route.fetch();
      return await route.abort('connectionreset');
    }
    faults.slow++;
    await sleep(2_000 + Math.random() * 2_000);
    return await route.continue();
  } catch {
    // The page closed while its request was held: the browser dropped it.
  }
}

interface Session {
  context: BrowserContext;
  pages: Page[];
  loads: number;
  url: string;
}

let nextN = 0;
const generated: number[] = [];

/** Tracks `count` events from the page, a few ms apart, each carrying a run-wide unique number. */
async function trackEvents(page: Page, count: number, gapMs = 5) {
  const numbers = Array.from({ length: count }, () => nextN++);
  generated.push(...numbers);
  await page.evaluate(
    async ({ numbers, run, gapMs }) => {
      for (const n of numbers) {
        window.touchpoint('track', 'fault_test', { run, n });
        await new Promise((resolve) => setTimeout(resolve, gapMs + Math.random() * 40));
      }
    },
    { numbers, run: RUN, gapMs },
  );
}

async function openTab(session: Session): Promise<Page> {
  const page = await session.context.newPage();
  await page.goto(session.url);
  session.loads++;
  session.pages.push(page);
  return page;
}

async function closeMidSend(session: Session, page: Page) {
  session.pages.splice(session.pages.indexOf(page), 1);
  // As a shopper closing the tab: pagehide runs, the beacon goes, whatever was in flight is cut.
  await page.close({ runBeforeUnload: true });
  await sleep(300);
}

async function shopperSession(index: number): Promise<Session> {
  const context = await fixture.browser.newContext();
  await context.route('**/v1/inbox', faultyCollector);
  const session: Session = { context, pages: [], loads: 0, url: fixture.shop.page(shopPage(workerUrl)) };
  for (let t = 0; t < TABS_PER_CONTEXT; t++) await openTab(session);

  // Busy browsing while the collector fails half the time: bursts, then one event a batch.
  await Promise.all(session.pages.map((page) => trackEvents(page, 15)));
  await Promise.all(session.pages.map((page) => trackEvents(page, 5, 1_100)));

  // Offline for a while: events keep coming and wait in the outbox.
  await sleep(index * 400);
  await context.setOffline(true);
  await Promise.all(session.pages.map((page) => trackEvents(page, 10)));
  await sleep(2_500);
  await context.setOffline(false);

  // Tabs closed in the middle of sends, the shop reopened in the same browser.
  await trackEvents(session.pages[0]!, 8);
  await closeMidSend(session, session.pages[0]!);
  const reopened = await openTab(session);
  await trackEvents(reopened, 10);
  await trackEvents(session.pages[0]!, 6);
  await closeMidSend(session, session.pages[0]!);
  await openTab(session);

  // A navigation mid-send too (same tab, next page of the shop).
  const navigating = session.pages[session.pages.length - 1]!;
  await trackEvents(navigating, 5);
  await navigating.goto(session.url + 'next');
  session.loads++;

  await Promise.all(session.pages.map((page) => trackEvents(page, 10)));
  return session;
}

describe('delivery under faults', () => {
  it('stores every event generated exactly once', { timeout: 300_000 }, async () => {
    const sessions = await Promise.all(Array.from({ length: CONTEXTS }, (_, i) => shopperSession(i)));
    // The network heals; an offline/online blip resets every tab's backoff, as it would in life.
    faulty = false;
    for (const { context } of sessions) {
      await context.setOffline(true);
      await context.setOffline(false);
    }
    for (const { pages } of sessions) await expect.poll(() => outboxSize(pages[0]!), { timeout: 120_000, interval: 500 }).toBe(0);

    const anonIds = await Promise.all(sessions.map(({ pages }) => anonIdOf(pages[0]!)));
    const rows = queryD1<{ n: number; copies: number }>(
      `SELECT json_extract(props, '$.n') AS n, count(*) AS copies FROM events WHERE site = '${TRACKER_SITE}' AND name = 'fault_test' AND json_extract(props, '$.run') = '${RUN}' GROUP BY n`,
    );
    const stored = new Map(rows.map((row) => [Number(row.n), Number(row.copies)]));
    const lost = generated.filter((n) => !stored.has(n)).length;
    const duplicated = rows.reduce((sum, row) => sum + Number(row.copies) - 1, 0);
    const views = queryD1<{ anon_id: string; n: number }>(
      `SELECT anon_id, count(*) AS n FROM events WHERE site = '${TRACKER_SITE}' AND name = 'page_view' AND anon_id IN (${anonIds.map((id) => `'${id}'`).join(',')}) GROUP BY anon_id`,
    );
    const viewsExpected = sessions.reduce((sum, session) => sum + session.loads, 0);
    const viewsStored = views.reduce((sum, row) => sum + Number(row.n), 0);
    const tabs = sessions.reduce((sum, session) => sum + session.loads, 0);
    const injected = faults.error500 + faults.refused + faults.answerLost + faults.slow + faults.hung;
    console.log(
      `[faults] sessions ${CONTEXTS} browsers / ${tabs} page loads · events ${generated.length + viewsExpected} (${generated.length} tracked + ${viewsExpected} page_view) · ` +
        `collect requests ${faults.requests}, faults injected ${injected} (500 ${faults.error500}, refused ${faults.refused}, answer lost ${faults.answerLost}, slow ${faults.slow}, hung past the 30 s timeout ${faults.hung}) + offline periods ${CONTEXTS * 2} + tabs closed mid-send ${CONTEXTS * 2} · ` +
        `lost ${lost + Math.max(0, viewsExpected - viewsStored)}, duplicated ${duplicated + Math.max(0, viewsStored - viewsExpected)}`,
    );
    expect(injected).toBeGreaterThan(faults.requests * 0.3);
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    expect(viewsStored).toBe(viewsExpected);
    await Promise.all(sessions.map(({ context }) => context.close()));
  });
});
