// The compatibility suite: dataLayer pushes copied in shape from real shop integrations
// (test/fixtures/datalayers.ts cites each one's repository and files), made before and after
// sdk.js loaded, through the real SDK in Chromium and the real worker; what D1 stored is asserted:
// every event, none rejected, the order once with the documented revenue, the cart exact.
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { GA4_SCENARIOS, UA_SCENARIOS, type Entry, type Scenario } from '../fixtures/datalayers';
import { queryD1 } from '../support/local-d1';
import { anonIdOf, waitForEmptyOutbox, watch } from '../support/sdk-page';
import { shopPage } from '../support/shop-server';
import { useShopBrowser } from '../support/shop-browser';

const workerUrl = inject('workerUrl');
const fixture = useShopBrowser();

const isPurchase = (entry: Entry) => /"(purchase|transactionId)"/.test(JSON.stringify(entry));

/** The scenario's order id made unique for one run (numbers stay numbers: their conversion is under test). */
function withOrderId(scenario: Scenario, suffix: string): { pushes: Entry[]; transactionId: string } {
  const tx = scenario.expect.transaction_id;
  const text = JSON.stringify(scenario.pushes)
    .replaceAll(`"${tx}"`, `"${tx}${suffix}"`)
    .replace(new RegExp(`:${tx}([,}])`, 'g'), `:${tx}${suffix}$1`);
  return { pushes: JSON.parse(text), transactionId: `${tx}${suffix}` };
}

/** Page source that pushes `entries` to the dataLayer, gtag-style entries as arguments objects. */
const pushScript = (entries: Entry[]) => `<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){ dataLayer.push(arguments); }
  for (const entry of ${JSON.stringify(entries)}) Array.isArray(entry) ? gtag(...entry) : dataLayer.push(entry);
</script>`;

const pushAfterLoad = async (page: Page, entries: Entry[]) => {
  await page.waitForFunction(() => window.touchpoint.loaded);
  await page.evaluate((entries) => {
    function gtag(..._args: unknown[]) {
      // eslint-disable-next-line prefer-rest-params
      window.dataLayer.push(arguments);
    }
    for (const entry of entries) Array.isArray(entry) ? gtag(...entry) : window.dataLayer.push(entry);
  }, entries);
};

const serverCart = (visitor: string) =>
  Object.fromEntries(queryD1<{ item_id: string; quantity: number }>(`SELECT item_id, quantity FROM cart_items WHERE site = 'tracker' AND visitor_id = '${visitor}'`).map((l) => [l.item_id, l.quantity]));

const browserCart = async (page: Page): Promise<Record<string, number>> =>
  Object.fromEntries(((await page.evaluate(() => JSON.parse(localStorage.getItem('tp_cart') ?? '{"items":[]}'))).items as { item_id: unknown; quantity: number }[]).map((l) => [String(l.item_id), l.quantity]));

async function run(scenario: Scenario, when: 'before' | 'after', suffix: string) {
  const { pushes, transactionId } = withOrderId(scenario, suffix);
  const browsing = pushes.filter((entry) => !isPurchase(entry));
  const buying = pushes.filter(isPurchase);
  const context = await fixture.browser.newContext();
  const seen = watch(context);
  const page = await context.newPage();
  // Browsing and cart on one page, the purchase on the next (order complete), as a shop does.
  await page.goto(fixture.shop.page(shopPage(workerUrl, { head: when == 'before' ? pushScript(browsing) : '' })));
  if (when == 'after') await pushAfterLoad(page, browsing);
  await waitForEmptyOutbox(page);
  const anon = await anonIdOf(page);
  const visitor = `a:${anon}`;
  const mirror = await browserCart(page);
  // The server's cart equals the browser's before the purchase...
  await expect.poll(() => serverCart(visitor), { timeout: 15_000 }).toEqual(mirror);

  await page.goto(fixture.shop.page(shopPage(workerUrl, { head: when == 'before' ? pushScript(buying) : '' })));
  if (when == 'after') await pushAfterLoad(page, buying);
  await waitForEmptyOutbox(page);
  // ...and is empty after it, like the browser's.
  await expect.poll(() => queryD1(`SELECT transaction_id FROM orders WHERE site = 'tracker' AND transaction_id = '${transactionId}'`).length, { timeout: 15_000 }).toBe(1);
  await expect.poll(() => serverCart(visitor), { timeout: 15_000 }).toEqual(scenario.expect.cart);
  expect(await browserCart(page)).toEqual(scenario.expect.cart);

  const [order] = queryD1<{ value: number; shipping: number | null; visitor_id: string }>(`SELECT value, shipping, visitor_id FROM orders WHERE site = 'tracker' AND transaction_id = '${transactionId}'`);
  expect(order).toMatchObject({ value: scenario.expect.revenue, visitor_id: visitor, ...(scenario.expect.shipping !== undefined && { shipping: scenario.expect.shipping }) });
  const [profile] = queryD1<{ orders: number; revenue: number }>(`SELECT orders, revenue FROM profiles WHERE site = 'tracker' AND visitor_id = '${visitor}'`);
  expect(profile).toEqual({ orders: 1, revenue: scenario.expect.revenue });
  const names = queryD1<{ name: string }>(`SELECT DISTINCT name FROM events WHERE site = 'tracker' AND anon_id = '${anon}'`).map((row) => row.name);
  expect(names).toEqual(expect.arrayContaining(scenario.expect.events));
  expect(queryD1(`SELECT 1 FROM events WHERE site = 'tracker' AND anon_id = '${anon}' AND name = 'purchase'`)).toHaveLength(1);
  const viewed = queryD1<{ item_id: string }>(`SELECT item_id FROM product_views WHERE site = 'tracker' AND visitor_id = '${visitor}' AND views > 0`).map((row) => row.item_id);
  expect(viewed).toEqual(expect.arrayContaining(scenario.expect.viewed));
  expect(seen.answers.flatMap((answer) => answer.rejected)).toEqual([]);
  expect(seen.problems).toEqual([]);
  await context.close();
}

describe('real shops’ dataLayers', () => {
  for (const [i, scenario] of [...GA4_SCENARIOS, ...UA_SCENARIOS].entries()) {
    it(`${scenario.name}: pushed before sdk.js loaded`, () => run(scenario, 'before', `${i}1`));
    it(`${scenario.name}: pushed after sdk.js loaded`, () => run(scenario, 'after', `${i}2`));
  }
});
