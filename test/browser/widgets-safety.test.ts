// Text from config, catalogue and events is shown as text, and only http(s) URLs reach an href or
// a src. The payload would run alert() (which sets window.__xss) if it were ever parsed as HTML.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { catalog, item, XSS_NAME } from './widget-fixtures';
import { ensureTestSite, mount, useHarness, waitForEvents, widgetUrls } from './widget-harness';

const { withPage } = useHarness(() => ensureTestSite(catalog()));

const BAD_URLS = ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', '//evil.example/x', '/relative'];

/** withPage itself fails the test on any alert or page error. */
async function check(page: Page) {
  await page.waitForTimeout(300); // an onerror handler would have run by now
  expect(await page.evaluate(() => (window as unknown as { __xss: boolean }).__xss)).toBe(false);
  const injected = await page.evaluate(() =>
    [...document.querySelectorAll('[data-touchpoint-widget], [data-touchpoint]')].flatMap((h) => [...(h.shadowRoot?.querySelectorAll('img[src="x"], script') ?? [])]).length,
  );
  expect(injected, 'no element made from the payload').toBe(0);
  for (const url of await widgetUrls(page)) expect(url).toMatch(/^https?:\/\//);
}

const xssItem = (url: string) => ({ ...item('ko', 0), item_id: 'xss', name: XSS_NAME, url, image_url: url });

describe.each(BAD_URLS)('with URL %j', (bad) => {
  it.each([
    ['cart_reminder', { cart_url: bad, items: [xssItem(bad), item('ko', 1)], total: 1000, offer: { code: XSS_NAME } }],
    ['interested_product', { item: xssItem(bad), views: 3 }],
    ['review_prompt', { items: [xssItem(bad)] }],
    ['welcome_back', { cta_url: bad, offer: { code: XSS_NAME }, copy: { ko: { title: XSS_NAME } } }],
    ['marketing_consent', { privacy_url: bad, copy: { ko: { body: XSS_NAME } } }],
    ['signup_benefit', { signup_url: bad, privacy_url: bad, benefit: { kind: 'coupon', amount: XSS_NAME }, email_capture: true }],
  ])('%s shows the payload as text and links nowhere unsafe', (widget, props) =>
    withPage(async (page) => {
      await mount(page, widget, props);
      await waitForEvents(page, 'widget_impression');
      const text = await page.locator(`[data-touchpoint-widget="${widget}"] .tp`).textContent();
      expect(text).toContain(XSS_NAME);
      await check(page);
    }),
  );
});

describe('recommendations from the catalogue', () => {
  it('shows a product named like markup as that text', () =>
    withPage(async (page) => {
      await mount(page, 'recommendations', { strategy: 'trending', limit: 24 }, { slot: '#slot' });
      await page.locator('#slot .tp-recs[aria-busy="false"]').waitFor();
      const names = await page.locator('#slot .tp-card-name').allTextContents();
      expect(names).toContain(XSS_NAME);
      await check(page);
    }));
});
