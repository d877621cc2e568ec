// Exact order and consent from the shop's banner, proven by what the worker stored: many cart
// events in the same millisecond, before sdk.js loaded and after a reload, leave the server's cart
// equal to the browser's; Google Consent Mode commands in the dataLayer hold and release events.
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { consentDefaultDenied, consentUpdateAnalyticsOnly, consentUpdateGranted } from '../fixtures/datalayers';
import { queryD1 } from '../support/local-d1';
import { anonIdOf, outboxSize, visitorOf, waitForEmptyOutbox, watch } from '../support/sdk-page';
import { shopPage } from '../support/shop-server';
import { useShopBrowser } from '../support/shop-browser';

const workerUrl = inject('workerUrl');
const fixture = useShopBrowser();

const serverCart = (visitor: string) =>
  Object.fromEntries(queryD1<{ item_id: string; quantity: number }>(`SELECT item_id, quantity FROM cart_items WHERE site = 'tracker' AND visitor_id = '${visitor}'`).map((l) => [l.item_id, l.quantity]));
const browserCart = async (page: Page): Promise<Record<string, number>> =>
  Object.fromEntries(((await page.evaluate(() => JSON.parse(localStorage.getItem('tp_cart') ?? '{"items":[]}'))).items as { item_id: string; quantity: number }[]).map((l) => [l.item_id, l.quantity]));

/** Pushes for `n` lines: add 3, remove 1, add 1, remove 2 of each, all in one synchronous loop (one millisecond or two). */
const cartBurst = (prefix: string, n: number) => `
  window.dataLayer = window.dataLayer || [];
  for (let i = 0; i < ${n}; i++) {
    const item = (quantity) => ({ currency: 'KRW', items: [{ item_id: '${prefix}' + i, price: 1000, quantity }] });
    dataLayer.push({ event: 'add_to_cart', ecommerce: item(3) });
    dataLayer.push({ event: 'remove_from_cart', ecommerce: item(1) });
    dataLayer.push({ event: 'add_to_cart', ecommerce: item(1) });
    dataLayer.push({ event: 'remove_from_cart', ecommerce: item(2) });
  }`;

describe('event order', () => {
  it('applies many same-millisecond cart events, before load and across a reload, as the browser did', async () => {
    const context = await fixture.browser.newContext();
    const seen = watch(context);
    const page = await context.newPage();
    // 12 lines × 4 events before sdk.js loaded: all get its start time.
    await page.goto(fixture.shop.page(shopPage(workerUrl, { head: `<script>${cartBurst('B', 12)}</script>` })));
    await page.waitForFunction(() => window.touchpoint.loaded);
    // A reload while events may still be on their way (the page pushes its 48 again), then 12 more lines × 4 in one task.
    await page.reload();
    await page.waitForFunction(() => window.touchpoint.loaded);
    await page.evaluate(cartBurst('A', 12));
    await waitForEmptyOutbox(page);
    const visitor = `a:${await anonIdOf(page)}`;
    const expected = Object.fromEntries([...Array.from({ length: 12 }, (_, i) => [`B${i}`, 2]), ...Array.from({ length: 12 }, (_, i) => [`A${i}`, 1])]);
    expect(await browserCart(page)).toEqual(expected);
    await expect.poll(() => serverCart(visitor), { timeout: 20_000 }).toEqual(expected);
    // Every event went, each once, with its own count.
    const seqs = queryD1<{ seq: number }>(`SELECT seq FROM events WHERE site = 'tracker' AND anon_id = '${visitor.slice(2)}' ORDER BY seq`).map((r) => r.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.length).toBeGreaterThanOrEqual(3 * 48 + 2);
    expect(seen.answers.flatMap((answer) => answer.rejected)).toEqual([]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('keeps one count across two tabs', async () => {
    const context = await fixture.browser.newContext();
    const [one, two] = [await context.newPage(), await context.newPage()];
    const url = fixture.shop.page(shopPage(workerUrl));
    await Promise.all([one.goto(url), two.goto(url)]);
    await Promise.all([one, two].map((page) => page.waitForFunction(() => window.touchpoint.loaded)));
    await Promise.all([one, two].map((page) => page.evaluate(() => { for (let n = 0; n < 20; n++) window.touchpoint.track('tab_test', { n }); })));
    await Promise.all([waitForEmptyOutbox(one), waitForEmptyOutbox(two)]);
    const anon = await anonIdOf(one);
    await expect.poll(() => queryD1(`SELECT 1 FROM events WHERE site = 'tracker' AND anon_id = '${anon}' AND name = 'tab_test'`).length, { timeout: 20_000 }).toBe(40);
    const seqs = queryD1<{ seq: number }>(`SELECT seq FROM events WHERE site = 'tracker' AND anon_id = '${anon}'`).map((r) => r.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    await context.close();
  });
});

describe('consent from the shop’s banner (Google Consent Mode v2)', () => {
  const gtag = (entries: unknown[]) => `<script>window.dataLayer = window.dataLayer || []; function gtag(){ dataLayer.push(arguments); }
    for (const entry of ${JSON.stringify(entries)}) gtag(...entry);</script>`;

  it('holds events under a default pushed before load, sends them on the update, and lets touchpoint("consent") win', async () => {
    const context = await fixture.browser.newContext();
    const seen = watch(context);
    const page = await context.newPage();
    const add = ['event', 'add_to_cart', { currency: 'KRW', items: [{ item_id: 'C-1', price: 1000, quantity: 1 }] }];
    await page.goto(fixture.shop.page(shopPage(workerUrl, { head: gtag([consentDefaultDenied, add]) })));
    await page.waitForFunction(() => window.touchpoint.loaded);
    await expect.poll(() => outboxSize(page)).toBe(2); // page_view and add_to_cart, held
    await page.waitForTimeout(1500);
    expect(seen.requests).toEqual([]);
    expect(await page.evaluate(() => window.touchpoint.consent())).toMatchObject({ analytics: false, marketing: false, decided: false });

    // The shopper accepts in the banner.
    await page.evaluate((update) => (window as unknown as { gtag: (...a: unknown[]) => void }).gtag(...update), consentUpdateGranted as unknown[]);
    await waitForEmptyOutbox(page);
    const anon = await anonIdOf(page);
    await expect.poll(() => queryD1<{ name: string }>(`SELECT name FROM events WHERE site = 'tracker' AND anon_id = '${anon}'`).map((r) => r.name).sort(), { timeout: 20_000 }).toEqual(['add_to_cart', 'consent_update', 'page_view']);
    await expect.poll(() => queryD1<{ marketing_consent: number }>(`SELECT marketing_consent FROM profiles WHERE site = 'tracker' AND visitor_id = 'a:${anon}'`)[0]?.marketing_consent, { timeout: 20_000 }).toBe(1);

    // The shop's own call wins over the banner pushing the same update again on the next page.
    await page.evaluate(() => window.touchpoint.consent({ marketing: false }));
    await expect.poll(async () => (await visitorOf(page)).consent).toEqual({ analytics: true, marketing: false });
    await page.goto(fixture.shop.page(shopPage(workerUrl, { head: gtag([consentDefaultDenied, consentUpdateGranted]) })));
    await page.waitForFunction(() => window.touchpoint.loaded);
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => window.touchpoint.consent())).toMatchObject({ analytics: true, marketing: false, decided: true });
    // A different answer in the banner is the shopper changing their mind: it counts.
    await page.evaluate((update) => (window as unknown as { gtag: (...a: unknown[]) => void }).gtag(...update), consentUpdateAnalyticsOnly as unknown[]);
    await page.evaluate(() => (window as unknown as { gtag: (...a: unknown[]) => void }).gtag('consent', 'update', { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' }));
    await expect.poll(() => page.evaluate(() => window.touchpoint.consent()?.marketing)).toBe(true);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('drops what was held when the update refuses analytics', async () => {
    const context = await fixture.browser.newContext();
    const seen = watch(context);
    const page = await context.newPage();
    await page.goto(fixture.shop.page(shopPage(workerUrl, { head: gtag([consentDefaultDenied]) })));
    await page.waitForFunction(() => window.touchpoint.loaded);
    await expect.poll(() => outboxSize(page)).toBe(1);
    await page.evaluate(() => (window as unknown as { gtag: (...a: unknown[]) => void }).gtag('consent', 'update', { analytics_storage: 'denied', ad_storage: 'denied' }));
    await waitForEmptyOutbox(page);
    const anon = await anonIdOf(page);
    await expect.poll(() => queryD1<{ name: string; props: string }>(`SELECT name, props FROM events WHERE site = 'tracker' AND anon_id = '${anon}'`), { timeout: 20_000 }).toEqual([
      { name: 'consent_update', props: JSON.stringify({ analytics: false, marketing: false }) },
    ]);
    expect(seen.problems).toEqual([]);
    await context.close();
  });
});
