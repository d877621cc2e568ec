// Consent modes against the real worker: on an opt-in site nothing but the consent record leaves
// the browser before the shopper agrees; a refusal drops what waited; GPC denies marketing.
import { describe, expect, inject, it } from 'vitest';
import { queryD1 } from '../support/local-d1';
import { anonIdOf, countByName, outboxSize, waitForEmptyOutbox, watch, type EventCount } from '../support/sdk-page';
import { shopPage } from '../support/shop-server';
import { useShopBrowser } from '../support/shop-browser';

const workerUrl = inject('workerUrl');
const fixture = useShopBrowser();

/** Requests the page made to the edge's /v1/* (collect and decide), as path + body. */
function edgeRequests(context: import('playwright-core').BrowserContext) {
  const requests: { path: string; body: string }[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/v1/')) requests.push({ path: url.pathname, body: request.postData() ?? '' });
  });
  return requests;
}

describe('SDK consent', () => {
  it('opt-in: nothing leaves the browser before consent; what waited is sent once the shopper agrees', async () => {
    const context = await fixture.browser.newContext();
    const page = await context.newPage();
    const seen = watch(context);
    const requests = edgeRequests(context);
    await page.goto(fixture.shop.page(shopPage(workerUrl, { attributes: 'data-consent-mode="opt-in"' })));
    await page.waitForFunction(() => window.touchpoint.loaded);
    await page.evaluate(() => {
      for (let n = 0; n < 3; n++) window.touchpoint.track('opt_in_test', { n });
    });
    await page.waitForTimeout(2_500); // past the batch timer
    expect(requests).toEqual([]);
    expect(await outboxSize(page)).toBe(4);
    expect(await page.evaluate(() => window.touchpoint.consent())).toMatchObject({ analytics: false, marketing: false, mode: 'opt-in', decided: false });

    const state = await page.evaluate(() => window.touchpoint.consent({ analytics: true }));
    expect(state).toMatchObject({ analytics: true, marketing: false, decided: true });
    await waitForEmptyOutbox(page);
    await seen.delivered(5);
    // Decisions are asked for once consent allows, not before.
    await expect.poll(() => requests.filter((r) => r.path == '/v1/decide').length).toBe(1);
    expect(JSON.parse(requests.find((r) => r.path == '/v1/decide')!.body).consent).toEqual({ analytics: true, marketing: false });

    expect(queryD1<EventCount>(countByName([await anonIdOf(page)]))).toEqual([
      { name: 'consent_update', n: 1, distinct_n: 0 },
      { name: 'opt_in_test', n: 3, distinct_n: 3 },
      { name: 'page_view', n: 1, distinct_n: 0 },
    ]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('opt-in: a refusal drops what waited, sends only the consent record, and holds across visits', async () => {
    const context = await fixture.browser.newContext();
    const page = await context.newPage();
    const seen = watch(context);
    const requests = edgeRequests(context);
    const url = fixture.shop.page(shopPage(workerUrl, { attributes: 'data-consent-mode="opt-in"' }));
    await page.goto(url);
    await page.waitForFunction(() => window.touchpoint.loaded);
    await page.evaluate(() => {
      for (let n = 0; n < 3; n++) window.touchpoint.track('refusal_test', { n });
      window.touchpoint.consent({ analytics: false, marketing: false });
    });
    await waitForEmptyOutbox(page);
    await seen.delivered(1);

    // The next visit: the refusal is remembered; nothing is recorded or sent.
    await page.reload();
    await page.waitForFunction(() => window.touchpoint.loaded);
    expect(await page.evaluate(() => window.touchpoint.consent())).toMatchObject({ analytics: false, marketing: false, decided: true });
    await page.evaluate(() => window.touchpoint.track('refusal_test', { n: 9 }));
    await page.waitForTimeout(2_000);
    expect(await outboxSize(page)).toBe(0);

    expect(requests.map((r) => r.path)).toEqual(['/v1/inbox']);
    expect(JSON.parse(requests[0]!.body).events.map((e: { name: string; props: unknown }) => [e.name, e.props])).toEqual([
      ['consent_update', { analytics: false, marketing: false }],
    ]);
    expect(queryD1<EventCount>(countByName([await anonIdOf(page)]))).toEqual([{ name: 'consent_update', n: 1, distinct_n: 0 }]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('Global Privacy Control denies marketing, also to decisions, whatever the shopper or the mode says', async () => {
    const context = await fixture.browser.newContext();
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
    const page = await context.newPage();
    const requests = edgeRequests(context);
    const seen = watch(context);
    await page.goto(fixture.shop.page(shopPage(workerUrl)));
    await page.waitForFunction(() => window.touchpoint.loaded);
    expect(await page.evaluate(() => window.touchpoint.consent())).toMatchObject({ analytics: true, marketing: false, gpc: true, mode: 'opt-out' });
    expect(await page.evaluate(() => window.touchpoint.consent({ marketing: true }))).toMatchObject({ analytics: true, marketing: false });
    await expect.poll(() => requests.filter((r) => r.path == '/v1/decide').length).toBeGreaterThan(0);
    expect(JSON.parse(requests.find((r) => r.path == '/v1/decide')!.body).consent).toEqual({ analytics: true, marketing: false });
    expect(seen.problems).toEqual([]);
    await context.close();
  });
});
