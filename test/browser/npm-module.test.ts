// The npm module as a bundler shop uses it: docs/examples/spa-storefront.ts, importing
// 'touchpoint' through package.json `exports` (a node_modules/touchpoint link to this package),
// bundled by esbuild, in Chromium against the real worker. SPA navigations become page views with
// no code, and the shop's own consent banner decides what leaves the browser (opt-in).
import * as esbuild from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { queryD1 } from '../support/local-d1';
import { anonIdOf, outboxSize } from '../support/sdk-page';
import { useShopBrowser } from '../support/shop-browser';
import { TRACKER_SITE } from '../support/shop-server';

const WORKER = inject('workerUrl');
const ROOT = resolve(__dirname, '../..');
const fixture = useShopBrowser();

let bundle = '';
let modules = '';
beforeAll(async () => {
  // A shop's node_modules: the package itself, resolved through its `exports` (dist/esm, built by the test setup).
  modules = mkdtempSync(join(tmpdir(), 'touchpoint-npm-'));
  mkdirSync(join(modules, 'node_modules'));
  symlinkSync(ROOT, join(modules, 'node_modules', 'touchpoint'), 'dir');
  const built = await esbuild.build({
    entryPoints: [join(ROOT, 'docs', 'examples', 'spa-storefront.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2020',
    nodePaths: [join(modules, 'node_modules')],
    define: { TOUCHPOINT_SITE: JSON.stringify(TRACKER_SITE), TOUCHPOINT_ENDPOINT: JSON.stringify(WORKER) },
    logLevel: 'silent',
  });
  bundle = built.outputFiles[0]!.text;
});
afterAll(() => rmSync(modules, { recursive: true, force: true }));

const storefront = () =>
  fixture.shop.page(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body>
<nav><a data-route="home">Home</a> <a data-route="product/mug">Mug</a> <a data-route="cart">Cart</a></nav>
<div id="consent" role="region" aria-label="Cookies" hidden><button data-accept>Accept</button> <button data-decline>Decline</button></div>
<main></main><script type="module">${bundle.replace(/<\/script/gi, '<\\/script')}</script></body></html>`);

const stored = (anon: string) =>
  queryD1<{ name: string; url: string }>(`SELECT name, url FROM events WHERE site = '${TRACKER_SITE}' AND anon_id = '${anon}' ORDER BY seq`).map((e) => `${e.name} ${new URL(e.url).pathname.replace(/^\/p\d+/, '')}`);

async function browseTheShop(page: Page) {
  await page.getByRole('link', { name: 'Mug' }).click();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: 'Cart' }).click();
  await page.waitForTimeout(300);
}

describe('the npm module in a bundled single-page storefront', () => {
  it('tracks SPA page views and sends them once the banner is accepted', { timeout: 90_000 }, async () => {
    const context = await fixture.browser.newContext();
    const collected: string[] = [];
    context.on('request', (r) => new URL(r.url()).pathname == '/v1/inbox' && collected.push(r.postData() ?? ''));
    const page = await context.newPage();
    await page.goto(storefront());
    await expect.poll(() => page.locator('#consent').isVisible()).toBe(true);
    await browseTheShop(page);
    // Opt-in and undecided: held in the outbox, nothing sent.
    await page.waitForTimeout(1_500);
    expect(collected).toEqual([]);
    expect(await outboxSize(page)).toBe(4);

    await page.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => outboxSize(page), { timeout: 15_000 }).toBe(0);
    const anon = await anonIdOf(page);
    await expect.poll(() => stored(anon), { timeout: 15_000 }).toEqual(['page_view /', 'page_view /product/mug', 'add_to_cart /product/mug', 'page_view /cart', 'consent_update /cart']);
    // The choice is kept: the banner stays hidden on the next visit.
    await page.reload();
    await page.waitForTimeout(500);
    expect(await page.locator('#consent').isVisible()).toBe(false);
    await context.close();
  });

  it('sends only the consent record when the banner is declined', { timeout: 90_000 }, async () => {
    const context = await fixture.browser.newContext();
    const page = await context.newPage();
    await page.goto(storefront());
    await expect.poll(() => page.locator('#consent').isVisible()).toBe(true);
    await browseTheShop(page);
    await page.getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => outboxSize(page), { timeout: 15_000 }).toBe(0);
    const anon = await anonIdOf(page);
    await expect.poll(() => stored(anon), { timeout: 15_000 }).toEqual(['consent_update /cart']);
    await page.getByRole('link', { name: 'Home' }).click();
    await page.waitForTimeout(1_500);
    expect(stored(anon)).toEqual(['consent_update /cart']);
    await context.close();
  });
});
