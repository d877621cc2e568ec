// The SDK's side of decisions: POST /v1/decide once per page view, as the contract says; widget
// modules loaded and mounted only when a decision names them and its trigger fires.
import type { BrowserContext } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { DecideRequest, type DecideResponseT } from '../../edge/contract';
import { queryD1 } from '../support/local-d1';
import { anonIdOf, waitForEmptyOutbox, watch } from '../support/sdk-page';
import { shopPage } from '../support/shop-server';
import { useShopBrowser } from '../support/shop-browser';

const workerUrl = inject('workerUrl');
const fixture = useShopBrowser();

function decideBodies(context: BrowserContext) {
  const bodies: unknown[] = [];
  context.on('request', (request) => {
    if (request.url().endsWith('/v1/decide')) bodies.push(JSON.parse(request.postData() ?? 'null'));
  });
  return bodies;
}

/** A widget module as the widgets build makes them: records its mounts and emits an impression. */
const testWidget = `export function mount({ decision, host, slot }) {
  (window.mounted = window.mounted || []).push({ widget: decision.widget, slot: slot ? slot.dataset.touchpoint : null, lang: host.lang, site: host.site });
  host.track('widget_impression', {});
  const note = document.createElement('p');
  note.className = 'widget-' + decision.widget;
  note.textContent = String(decision.props.title);
  (slot || document.body).append(note);
  return () => note.remove();
}`;

describe('SDK decisions', () => {
  it('asks /v1/decide once per page view with the contract body, and a 404 (no engine yet) costs the page nothing', async () => {
    const context = await fixture.browser.newContext();
    const page = await context.newPage();
    const seen = watch(context);
    const bodies = decideBodies(context);
    const html = shopPage(workerUrl, { body: '<div data-touchpoint="recommendations"></div><div data-touchpoint="reviews"></div>' }).replace('<html lang="en">', '<html lang="ko">');
    await page.goto(fixture.shop.page(html) + 'product/7');
    await page.waitForFunction(() => window.touchpoint.loaded);
    await page.evaluate(() => window.touchpoint.track('view_item', { items: [{ item_id: 'SKU-7', item_name: '린넨 셔츠' }] }));
    await expect.poll(() => bodies.length).toBe(1);
    await page.evaluate(() => history.pushState({}, '', 'cart'));
    await expect.poll(() => bodies.length).toBe(2);
    await page.waitForTimeout(300);
    expect(bodies).toHaveLength(2);

    const [first, second] = bodies.map((body) => DecideRequest.parse(body));
    expect(first).toMatchObject({
      site: 'tracker',
      anon_id: await anonIdOf(page),
      page: { url: expect.stringMatching(/\/product\/7$/), lang: 'ko', slots: ['recommendations', 'reviews'] },
      consent: { analytics: true, marketing: true },
      session_page_views: 1,
    });
    // The device class is the edge's to read from the User-Agent: the SDK spends no bytes on it.
    expect(first!.device).toBeUndefined();
    expect(second).toMatchObject({ page: { url: expect.stringMatching(/\/cart$/), referrer: first!.page.url }, session_page_views: 2 });
    await waitForEmptyOutbox(page);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it("reads the shop's page-type and item-id meta tags into the page view and the decision", async () => {
    const context = await fixture.browser.newContext();
    const page = await context.newPage();
    const bodies = decideBodies(context);
    const hints = '<meta name="touchpoint:page-type" content="product"><meta name="touchpoint:item-id" content="sku-meta-1">';
    await page.goto(fixture.shop.page(shopPage(workerUrl, { head: hints })) + 'p/meta');
    await expect.poll(() => bodies.length).toBe(1);
    expect(DecideRequest.parse(bodies[0]).page).toMatchObject({ type: 'product', item_id: 'sku-meta-1' });
    await waitForEmptyOutbox(page);
    const anon = await anonIdOf(page);
    const [row] = queryD1<{ props: string }>(`SELECT props FROM events WHERE site = 'tracker' AND anon_id = '${anon}' AND name = 'page_view'`);
    expect(JSON.parse(row!.props)).toMatchObject({ page_type: 'product', item_id: 'sku-meta-1' });

    // A page type the edge does not know is left out rather than getting the decision refused.
    await page.goto(fixture.shop.page(shopPage(workerUrl, { head: '<meta name="touchpoint:page-type" content="landing">' })) + 'p/bogus');
    await expect.poll(() => bodies.length).toBe(2);
    expect(DecideRequest.parse(bodies[1]).page.type).toBeUndefined();
    await context.close();
  });

  it('loads and mounts decided widgets when their trigger fires; an unknown widget is ignored without error', async () => {
    const context = await fixture.browser.newContext();
    const page = await context.newPage();
    const seen = watch(context);
    const decision = (widget: string, trigger: object, slot?: string) => ({
      decision_id: `dec-${widget}-${Math.random().toString(36).slice(2, 10)}`,
      campaign: widget,
      template: widget,
      widget,
      variant: 'a',
      trigger,
      ...(slot && { slot }),
      props: { title: `<img src=x onerror=alert(1)> ${widget}` },
    });
    const answer = {
      overlay: decision('cart_reminder', { type: 'add_to_cart' }),
      inline: [decision('recommendations', { type: 'immediate' }, 'recs'), decision('no_such_widget', { type: 'immediate' }, 'recs')],
    } as DecideResponseT;
    const cors = { 'Access-Control-Allow-Origin': '*' };
    // The decision engine is another issue's: its answer is given here; the widget modules too.
    await context.route('**/v1/decide', (route) => route.fulfill({ status: 200, headers: cors, contentType: 'application/json', body: JSON.stringify(answer) }));
    await context.route(/\/widgets\/(cart_reminder|recommendations)\.js$/, (route) => route.fulfill({ status: 200, headers: cors, contentType: 'text/javascript', body: testWidget }));

    await page.goto(fixture.shop.page(shopPage(workerUrl, { body: '<div data-touchpoint="recs"></div>' })));
    await page.waitForFunction(() => (window as unknown as { mounted?: unknown[] }).mounted?.length === 1);
    await page.waitForTimeout(500);
    const mounted = () => page.evaluate(() => (window as unknown as { mounted: unknown[] }).mounted);
    expect(await mounted()).toEqual([{ widget: 'recommendations', slot: 'recs', lang: 'en', site: 'tracker' }]);
    expect(await page.locator('[data-touchpoint="recs"] .widget-recommendations').textContent()).toBe('<img src=x onerror=alert(1)> recommendations');

    // The overlay's trigger: an add to cart.
    await page.evaluate(() => window.touchpoint.track('add_to_cart', { items: [{ item_id: 'SKU-1' }] }));
    await expect.poll(mounted).toHaveLength(2);
    expect((await mounted())[1]).toEqual({ widget: 'cart_reminder', slot: null, lang: 'en', site: 'tracker' });

    // A new view ends the old one's widgets.
    await page.evaluate(() => history.pushState({}, '', 'elsewhere'));
    await expect.poll(mounted).toHaveLength(3); // the new view's decision mounts recommendations again
    expect(await page.locator('.widget-recommendations').count()).toBe(1);
    expect(await page.locator('.widget-cart_reminder').count()).toBe(0);
    await waitForEmptyOutbox(page);

    const impressions = queryD1<{ widget: string; decision_id: string }>(
      `SELECT json_extract(props, '$.widget') AS widget, json_extract(props, '$.decision_id') AS decision_id FROM events WHERE anon_id = '${await anonIdOf(page)}' AND name = 'widget_impression' ORDER BY ts`,
    );
    expect(impressions.map((row) => row.widget)).toEqual(['recommendations', 'cart_reminder', 'recommendations']);
    expect(impressions[0]!.decision_id).toBe(answer.inline[0]!.decision_id);
    expect(seen.problems).toEqual([]);
    await context.close();
  });
});
