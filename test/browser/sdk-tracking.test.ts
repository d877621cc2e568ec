// What the SDK tracks, proven by what reached D1: the stub queue, page views of a single-page
// app, GA4 dataLayer pushes, identity, and a browser that blocks storage.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
// @ts-expect-error plain ESM build scripts, no declarations
import { ESM_OUT } from '../../scripts/build.mjs';
// @ts-expect-error plain ESM build scripts, no declarations
import { DEMO_SITE, ensureSite } from '../../scripts/lib/dev-worker.mjs';
import { queryD1 } from '../support/local-d1';
import { anonIdOf, countByName, storeVisitor, visitorOf, waitForEmptyOutbox, watch, type EventCount } from '../support/sdk-page';
import { shopPage } from '../support/shop-server';
import { useShopBrowser } from '../support/shop-browser';

const workerUrl = inject('workerUrl');
const fixture = useShopBrowser();

type Row = { name: string; url: string; client_ts: number; user_id: string | null; session_id: string; anon_id: string; props: string };
const rowsOf = (anonIds: string[]) =>
  queryD1<Row>(`SELECT name, url, client_ts, user_id, session_id, anon_id, props FROM events WHERE site = 'tracker' AND anon_id IN (${anonIds.map((id) => `'${id}'`).join(',')}) ORDER BY client_ts, name`);

async function open(html: string, path = '') {
  const context = await fixture.browser.newContext();
  const page = await context.newPage();
  const seen = watch(context);
  await page.goto(fixture.shop.page(html) + path);
  return { context, page, seen };
}

/** Waits until the SDK handled a navigation (page views are taken a task after it). */
const settle = (page: Page) => page.waitForTimeout(250);

describe('SDK tracking', () => {
  it('replays stub calls in order, with the page and time each was made', async () => {
    // Calls made while the SDK is still loading, around a client-side navigation, then 80 ms of work.
    const head = `<script>
      const work = (ms) => { for (const end = Date.now() + ms; Date.now() < end;); };
      touchpoint('track', 'stub_test', { n: 0 });
      work(2);
      touchpoint('identify', 'member-stub-1');
      work(2);
      history.pushState({}, '', 'moved');
      touchpoint('track', 'stub_test', { n: 1 });
      work(80);
    </script>`;
    const stamped = await open(shopPage(workerUrl, { head }));
    // DESIGN.md's plain stub (no stamps) works too.
    const plainHead = `<script>touchpoint('track', 'stub_plain_test', { n: 0 })</script>`;
    const plain = await open(shopPage(workerUrl, { head: plainHead }).replace(/<script>\(function\(w,n\).*?<\/script>/, `<script>(function(w,n){w[n]=w[n]||function(){(w[n].q=w[n].q||[]).push(arguments)}})(window,'touchpoint')</script>`));
    await Promise.all([waitForEmptyOutbox(stamped.page), waitForEmptyOutbox(plain.page)]);
    await Promise.all([stamped.seen.delivered(4), plain.seen.delivered(2)]);

    const [stampedAnon, plainAnon] = [await anonIdOf(stamped.page), await anonIdOf(plain.page)];
    const rows = rowsOf([stampedAnon, plainAnon]);
    const mine = rows.filter((row) => row.anon_id == stampedAnon);
    const base = stamped.page.url().replace(/moved$/, '');
    expect(mine.map((row) => [row.name, row.url, row.user_id, JSON.parse(row.props).n])).toEqual([
      ['stub_test', base, null, 0],
      ['identify', base, 'member-stub-1', undefined],
      ['stub_test', `${base}moved`, 'member-stub-1', 1],
      ['page_view', `${base}moved`, 'member-stub-1', undefined],
    ]);
    // The stub calls kept their own time: the SDK only ran after the page's 80 ms of work.
    expect(mine[3]!.client_ts - mine[2]!.client_ts).toBeGreaterThanOrEqual(80);
    expect(rows.filter((row) => row.anon_id == plainAnon).map((row) => row.name).sort()).toEqual(['page_view', 'stub_plain_test']);
    expect([...stamped.seen.problems, ...plain.seen.problems]).toEqual([]);
    await Promise.all([stamped.context.close(), plain.context.close()]);
  });

  it('tracks one page view per view of a single-page app', async () => {
    const { context, page, seen } = await open(shopPage(workerUrl), 'home');
    const base = page.url().replace(/home$/, '');
    const steps: ((base: string) => void)[] = [
      (base) => history.pushState({}, '', `${base}product/1`), // new view
      () => history.replaceState({ scrolled: true }, ''), // same URL: not a view
      (base) => history.pushState({}, '', `${base}product/1`), // same URL again: not a view
      (base) => history.replaceState({}, '', `${base}product/1?color=red`), // new view
      () => (location.hash = '#reviews'), // an in-page anchor: not a view
      () => (location.hash = '#/cart'), // a hash-router route: new view
      () => window.touchpoint.page({ page_type: 'cart' }), // this view is tracked already
      () => history.back(), // popstate back to #reviews: a new view of product/1?color=red
      () => dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })), // restored from the back/forward cache
    ];
    for (const step of steps) {
      await page.evaluate(step, base);
      await settle(page);
    }
    await waitForEmptyOutbox(page);
    await seen.delivered(6);

    const views = rowsOf([await anonIdOf(page)]).filter((row) => row.name == 'page_view');
    expect(views.map((row) => row.url)).toEqual([
      `${base}home`,
      `${base}product/1`,
      `${base}product/1?color=red`,
      `${base}product/1?color=red#/cart`,
      `${base}product/1?color=red#reviews`,
      `${base}product/1?color=red#reviews`,
    ]);
    expect(views.map((row) => JSON.parse(row.props).referrer ?? null)).toEqual([
      null,
      `${base}home`,
      `${base}product/1`,
      `${base}product/1?color=red`,
      `${base}product/1?color=red#/cart`,
      null, // a restored page: its own document.referrer (none here)
    ]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('picks up GA4 e-commerce from the dataLayer, pushed before and after load, and mirrors the cart', async () => {
    const head = `<script>
      window.dataLayer = window.dataLayer || [];
      dataLayer.push({ event: 'gtm.js' });
      dataLayer.push({ ecommerce: null });
      dataLayer.push({ event: 'add_to_cart', ecommerce: { currency: 'KRW', value: 38000, items: [{ item_id: 'SKU-A', item_name: 'Linen shirt', price: 19000, quantity: 2 }] } });
    </script>`;
    const { context, page, seen } = await open(shopPage(workerUrl, { head }));
    await page.waitForFunction(() => window.touchpoint.loaded);
    await page.evaluate(() => {
      // gtag.js pushes its arguments objects.
      function gtag(..._args: unknown[]) {
        // eslint-disable-next-line prefer-rest-params
        window.dataLayer.push(arguments);
      }
      gtag('event', 'remove_from_cart', { currency: 'KRW', items: [{ item_id: 'SKU-A', quantity: 1 }] });
      window.dataLayer.push({ event: 'custom_banner_click' });
    });
    const cartAfterRemove = await page.evaluate(() => JSON.parse(localStorage.getItem('tp_cart')!));
    await page.evaluate(() => {
      window.dataLayer.push({ event: 'purchase', ecommerce: { transaction_id: 'T-1001', currency: 'KRW', value: '19000', items: [{ item_id: 1001, price: '19000', quantity: '1' }] } });
    });
    const cartAfterPurchase = await page.evaluate(() => JSON.parse(localStorage.getItem('tp_cart')!));
    await waitForEmptyOutbox(page);
    await seen.delivered(4);

    expect(cartAfterRemove.items).toEqual([{ item_id: 'SKU-A', item_name: 'Linen shirt', price: 19000, quantity: 1 }]);
    expect(cartAfterPurchase.items).toEqual([]);
    const rows = rowsOf([await anonIdOf(page)]);
    expect(rows.map((row) => row.name).sort()).toEqual(['add_to_cart', 'page_view', 'purchase', 'remove_from_cart']);
    expect(JSON.parse(rows.find((row) => row.name == 'purchase')!.props)).toEqual({
      transaction_id: 'T-1001',
      currency: 'KRW',
      value: 19000,
      items: [{ item_id: '1001', price: 19000, quantity: 1 }],
    });
    expect(seen.answers.flatMap((answer) => answer.rejected)).toEqual([]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('identifies members, starts a session after 30 idle minutes, and forgets the visitor on reset', async () => {
    const { context, page, seen } = await open(shopPage(workerUrl));
    await page.waitForFunction(() => window.touchpoint.loaded);
    const firstAnon = await anonIdOf(page);
    await page.evaluate(() => {
      window.touchpoint.identify('member-42', { plan: 'gold' });
      window.touchpoint.identify('member-42'); // the same member again: no second identify event
      window.touchpoint.track('identity_test', { n: 1 });
    });
    await expect.poll(async () => (await visitorOf(page)).user).toBe('member-42');
    // 31 minutes without an event.
    const stored = await visitorOf(page);
    await storeVisitor(page, { ...stored, session: { ...stored.session!, last: Date.now() - 31 * 60_000 } });
    await page.evaluate(() => {
      window.touchpoint.track('identity_test', { n: 2 });
      window.touchpoint.reset();
      window.touchpoint.track('identity_test', { n: 3 });
    });
    await expect.poll(async () => (await visitorOf(page)).anon).not.toBe(firstAnon);
    const secondAnon = await anonIdOf(page);
    await waitForEmptyOutbox(page);
    await seen.delivered(5);

    const rows = rowsOf([firstAnon, secondAnon]).map((row) => ({ ...row, n: JSON.parse(row.props).n }));
    const [view, identify, one, two, three] = rows;
    expect(rows.map((row) => [row.name, row.anon_id, row.user_id, row.n])).toEqual([
      ['page_view', firstAnon, null, undefined],
      ['identify', firstAnon, 'member-42', undefined],
      ['identity_test', firstAnon, 'member-42', 1],
      ['identity_test', firstAnon, 'member-42', 2],
      ['identity_test', secondAnon, null, 3],
    ]);
    expect(JSON.parse(identify!.props)).toEqual({ plan: 'gold' });
    expect(one!.session_id).toBe(view!.session_id);
    expect(two!.session_id).not.toBe(one!.session_id);
    expect(three!.session_id).not.toBe(two!.session_id);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it("on a site with an identity secret, sends the shop server's user_hash with every member event and decide request, never as a trait", async () => {
    const secret = 'browser-test-identity-secret-0123456789';
    await ensureSite(workerUrl, inject('adminToken'), 'signed', { ...DEMO_SITE, identity_secret: secret });
    const userHash = createHmac('sha256', secret).update('member-77').digest('hex');
    const { context, page, seen } = await open(shopPage(workerUrl).replace('data-site="tracker"', 'data-site="signed"'));
    await page.waitForFunction(() => window.touchpoint.loaded);
    await page.evaluate((hash) => {
      window.touchpoint.identify('member-77', { plan: 'gold', user_hash: hash });
      window.touchpoint.track('identity_test', { n: 1 });
    }, userHash);
    await seen.delivered(3);
    const decide = page.waitForRequest((request) => request.url().endsWith('/v1/decide'));
    await page.evaluate(() => window.touchpoint.decide());
    expect(JSON.parse((await decide).postData()!)).toMatchObject({ user_id: 'member-77', user_hash: userHash });
    // The only shopper of this site (prompts may add widget events of their own).
    const rows = queryD1<Row>(`SELECT name, url, client_ts, user_id, session_id, anon_id, props FROM events WHERE site = 'signed' AND name IN ('page_view', 'identify', 'identity_test') ORDER BY client_ts, name`);
    expect(rows.map((row) => [row.name, row.user_id])).toEqual([
      ['page_view', null],
      ['identify', 'member-77'],
      ['identity_test', 'member-77'],
    ]);
    expect(JSON.parse(rows[1]!.props)).toEqual({ plan: 'gold' });
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('keeps working where IndexedDB and localStorage are blocked: a cookie for the visitor, memory for the outbox', async () => {
    const context = await fixture.browser.newContext();
    await context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      });
      indexedDB.open = () => {
        throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError');
      };
    });
    const page = await context.newPage();
    const seen = watch(context);
    await page.goto(fixture.shop.page(shopPage(workerUrl)));
    await page.waitForFunction(() => window.touchpoint.loaded);
    await page.evaluate(() => {
      for (let n = 0; n < 3; n++) window.touchpoint.track('blocked_storage_test', { n });
    });
    await seen.delivered(4);
    const anon = await page.evaluate(() => JSON.parse(decodeURIComponent(/tp_visitor=([^;]+)/.exec(document.cookie)![1]!)).anon);
    expect(anon).toMatch(/^[\w-]{8,64}$/);
    expect(queryD1<EventCount>(countByName([anon!]))).toEqual([
      { name: 'blocked_storage_test', n: 3, distinct_n: 3 },
      { name: 'page_view', n: 1, distinct_n: 0 },
    ]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('works the same as an ES module for bundler users', async () => {
    const moduleUrl = fixture.shop.page(readFileSync(join(ESM_OUT, 'touchpoint.js'), 'utf8'), 'text/javascript');
    const html = `<!doctype html><html lang="en"><head><title>Module shop</title><script type="module">
      import touchpoint, { init, track, consent } from '${moduleUrl}';
      track('module_test', { n: 0 }); // before init: waits for it
      init({ site: 'tracker', endpoint: '${workerUrl}' });
      track('module_test', { n: 1 });
      window.moduleConsent = consent();
      window.touchpoint = touchpoint;
    </script></head><body></body></html>`;
    const { context, page, seen } = await open(html);
    await page.waitForFunction(() => window.touchpoint?.loaded);
    expect(await page.evaluate(() => (window as unknown as { moduleConsent: unknown }).moduleConsent)).toMatchObject({ analytics: true, mode: 'opt-out' });
    await seen.delivered(3);
    await waitForEmptyOutbox(page);
    expect(queryD1<EventCount>(countByName([await anonIdOf(page)]))).toEqual([
      { name: 'module_test', n: 2, distinct_n: 2 },
      { name: 'page_view', n: 1, distinct_n: 0 },
    ]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('never throws into the page: bad calls are reported once on the console and tracking goes on', async () => {
    const { context, page, seen } = await open(shopPage(workerUrl));
    await page.waitForFunction(() => window.touchpoint.loaded);
    const thrown = await page.evaluate(() => {
      const errors: unknown[] = [];
      const attempt = (fn: () => unknown) => {
        try {
          fn();
        } catch (error) {
          errors.push(String(error));
        }
      };
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      for (let i = 0; i < 3; i++) attempt(() => window.touchpoint.track('errors_test', circular));
      attempt(() => window.touchpoint.track('Not A Name' as never));
      attempt(() => (window.touchpoint as unknown as (m: string) => void)('no_such_method'));
      attempt(() => window.touchpoint.identify(42 as never));
      attempt(() => window.touchpoint.track('errors_test', { n: 1 }));
      return errors;
    });
    await waitForEmptyOutbox(page);
    await seen.delivered(2);
    expect(thrown).toEqual([]);
    // One report per distinct problem: the circular props three times is one line.
    expect(seen.problems).toHaveLength(4);
    expect(seen.problems.every((line) => line.startsWith('console: [touchpoint]'))).toBe(true);
    expect(queryD1<EventCount>(countByName([await anonIdOf(page)]))).toEqual([
      { name: 'errors_test', n: 1, distinct_n: 1 },
      { name: 'page_view', n: 1, distinct_n: 0 },
    ]);
    await context.close();
  });
});
