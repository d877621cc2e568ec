// The journey's touch-point cards with hostile input: text from config, the shop's server and the
// catalogue (coupon codes and benefits, tier names, rewards, product names) is shown as text, only
// http(s) URLs reach an href or a src, and a card missing what it must show closes unseen.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { item, XSS_NAME } from './widget-fixtures';
import { events, mount, useHarness, waitForEvents, widgetUrls } from './widget-harness';

const { withPage } = useHarness();
const BAD = 'javascript:alert(1)';
const DAY = 86_400_000;
const words = { ko: XSS_NAME, en: XSS_NAME };

async function safe(page: Page, widget: string) {
  await page.waitForTimeout(300); // an onerror handler would have run by now
  expect(await page.evaluate(() => (window as unknown as { __xss: boolean }).__xss)).toBe(false);
  const injected = await page.evaluate((w) => document.querySelector(`[data-touchpoint-widget="${w}"]`)?.shadowRoot?.querySelectorAll('img[src="x"], script').length ?? 0, widget);
  expect(injected, 'no element made from the payload').toBe(0);
  for (const url of await widgetUrls(page)) expect(url).toMatch(/^https?:\/\//);
}

describe('touch-point cards show hostile text as text', () => {
  it.each([
    ['welcome', { cta_url: BAD, offer: { code: XSS_NAME, benefit: XSS_NAME, expires_at: Date.now() + 3 * DAY } }],
    ['benefit_expiry', { cta_url: BAD, coupon: { code: XSS_NAME, benefit: XSS_NAME, expires_at: Date.now() + 3 * DAY } }],
    ['second_purchase', { cta_url: BAD, mode: 'wakeup', offer: { code: XSS_NAME }, copy: { ko: { title_wakeup: XSS_NAME } } }],
    ['stamp_mission', { cta_url: BAD, stamps: 2, goal: 5, rewards: [{ at: 3, benefit: words }, { at: 5, benefit: words }] }],
    ['membership_tier', { cta_url: BAD, mode: 'close', tier: XSS_NAME, next_tier: XSS_NAME, amount_to_next: 17000, currency: 'KRW', benefit: words, as_of: Date.now() }],
    ['points', { cta_url: BAD, mode: 'unused', balance: 4000, as_of: Date.now(), copy: { ko: { body: XSS_NAME } } }],
    ['replenishment', { item: { ...item('ko', 0), name: XSS_NAME, url: BAD, image_url: BAD }, due_at: Date.now(), add_to_cart_url: BAD, cart_url: BAD }],
  ])('%s', (widget, props) =>
    withPage(async (page) => {
      await mount(page, widget, props);
      await waitForEvents(page, 'widget_impression');
      expect(await page.locator(`[data-touchpoint-widget="${widget}"] .tp`).textContent()).toContain(XSS_NAME);
      await safe(page, widget);
    }),
  );
});

describe('a card without what it must show closes unseen', () => {
  it.each([
    ['benefit_expiry', { coupon: { code: 'ENDED', expires_at: Date.now() - DAY } }],
    ['membership_tier', { mode: 'close', tier: 'SILVER', as_of: Date.now() }],
    ['points', { mode: 'expiring', balance: 1000, as_of: Date.now() }],
    ['stamp_mission', { stamps: 9, goal: 5, rewards: [] }],
    ['replenishment', { item: { item_id: 'x' } }],
  ])('%s', (widget, props) =>
    withPage(async (page) => {
      await mount(page, widget, props);
      await page.waitForTimeout(500);
      expect(await page.locator(`[data-touchpoint-widget="${widget}"]`).count()).toBe(0);
      expect(await events(page)).toEqual([]);
    }),
  );
});
