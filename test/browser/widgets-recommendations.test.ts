// The recommendations shelf in a shop's slot, against the real worker: what it asks for, what it
// shows, that it shifts nothing on the page, counts an impression only once seen, and never
// takes focus. Also the drawer layout and an empty answer.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { catalog } from './widget-fixtures';
import { ensureTestSite, events, focused, mount, SITE, useHarness, waitForEvents } from './widget-harness';

/** Shoppers who viewed the mug also viewed the teapot (3 sessions) and the tray (1). */
async function seedCoViews() {
  const now = Date.now();
  const sessions = [['mug', 'teapot'], ['mug', 'teapot', 'tray'], ['teapot', 'mug']];
  const events = sessions.flatMap((items, s) =>
    items.map((id, i) => ({
      id: `seed-${randomUUID()}`,
      name: 'view_item',
      ts: now - 60_000 + s * 1000 + i,
      anon_id: `anon-seed-${s}-${randomUUID().slice(0, 8)}`,
      session_id: `sess-seed-${s}-${randomUUID().slice(0, 8)}`,
      url: `https://shop.example/products/${id}`,
      props: { items: [{ item_id: id }] },
    })),
  );
  // One session per shopper: the same session id for all of a session's views.
  for (let s = 0; s < sessions.length; s++) {
    const mine = events.filter((e) => e.anon_id.startsWith(`anon-seed-${s}-`));
    for (const e of mine) (e.anon_id = mine[0]!.anon_id), (e.session_id = mine[0]!.session_id);
  }
  const response = await fetch(`${inject('workerUrl')}/v1/collect`, { method: 'POST', body: JSON.stringify({ site: SITE, sent_at: now, events }) });
  expect(response.status).toBe(202);
}

const { withPage } = useHarness(async () => {
  await ensureTestSite(catalog().filter((i) => i.item_id !== 'xss'));
  await seedCoViews();
});

const loaded = (page: Page, slot = '#slot') => page.locator(`${slot} .tp-recs[aria-busy="false"]`).waitFor();

describe('inline shelf', () => {
  it("asks for the slot's strategy with the page's product and the cart, and shows what the worker answers", () =>
    withPage(async (page) => {
      const request = page.waitForRequest((r) => r.url().includes('/v1/recommendations'));
      await page.locator('#slot').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await mount(page, 'recommendations', { strategy: 'trending', item_id: 'mug', limit: 4 }, { slot: '#slot', cart: ['tray'] });
      const query = new URL((await request).url()).searchParams;
      expect(Object.fromEntries(query)).toEqual({ site: SITE, strategy: 'viewed_together', limit: '4', anon_id: 'anon-harness-0001', product_id: 'mug', cart: 'tray' });
      await loaded(page);
      const names = await page.locator('#slot .tp-card-name').allTextContents();
      expect(names).toHaveLength(4);
      expect(names[0]).toBe('청자 찻주전자'); // the teapot: viewed with the mug most
      expect(names).not.toContain('원목 서빙 트레이'); // the tray is in the cart
      expect(names).not.toContain('분청 머그컵 350ml'); // the mug is this page
      await expect(page.locator('#slot h2').textContent()).resolves.toBe('함께 많이 본 상품');
      const [impression] = await waitForEvents(page, 'widget_impression');
      expect(impression!.props).toMatchObject({ strategy: 'viewed_together', items: expect.arrayContaining(['teapot']) });
    }));

  it('shows the shelf the decision brought at once, without asking the worker again', () =>
    withPage(async (page) => {
      let asked = 0;
      page.on('request', (r) => void (r.url().includes('/v1/recommendations') && asked++));
      const items = catalog().slice(0, 3).map(({ category, ...card }) => card);
      await page.locator('#slot-below').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await mount(page, 'recommendations', { strategy: 'trending', limit: 3, items, sources: ['trending'] }, { slot: '#slot-below' });
      // Products in the first render: no skeleton in between.
      await expect(page.locator('#slot-below .tp-recs').getAttribute('aria-busy')).resolves.toBe('false');
      await expect(page.locator('#slot-below .tp-card-name').allTextContents()).resolves.toEqual(items.map((i) => i.name));
      const [impression] = await waitForEvents(page, 'widget_impression');
      expect(impression!.props).toMatchObject({ strategy: 'trending', sources: ['trending'], items: items.map((i) => i.item_id) });
      expect(asked).toBe(0);
    }));

  it("asks the worker itself when the page's slot wants another shelf than the decision brought", () =>
    withPage(async (page) => {
      const request = page.waitForRequest((r) => r.url().includes('/v1/recommendations'));
      const items = catalog().slice(0, 2).map(({ category, ...card }) => card);
      await mount(page, 'recommendations', { strategy: 'trending', limit: 4, item_id: 'mug', items, sources: ['trending'] }, { slot: '#slot' });
      expect(new URL((await request).url()).searchParams.get('strategy')).toBe('viewed_together');
      await loaded(page);
      await expect(page.locator('#slot .tp-card-name').first().textContent()).resolves.toBe('청자 찻주전자');
    }));

  it('reports which product was clicked and where it sat', () =>
    withPage(async (page) => {
      await mount(page, 'recommendations', { strategy: 'trending', limit: 4 }, { slot: '#slot' });
      await loaded(page);
      await page.evaluate(() => document.addEventListener('click', (e) => e.preventDefault()));
      const second = page.locator('#slot .tp-card-link').nth(1);
      const href = (await second.getAttribute('href'))!;
      await second.click();
      const click = (await events(page)).find((e) => e.name === 'widget_click');
      expect(click!.props).toEqual({ target: 'item', item_id: href.split('/').pop(), position: 2 });
    }));

  it('reserves its space: filling the shelf shifts nothing on the page (no layout shift)', () =>
    withPage(async (page) => {
      await page.evaluate(() => {
        (window as unknown as { __cls: number }).__cls = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
            if (!entry.hadRecentInput) (window as unknown as { __cls: number }).__cls += entry.value;
          }
        }).observe({ type: 'layout-shift', buffered: false });
      });
      const below = page.locator('main > p').first();
      // The shop reserves the shelf's height in its own CSS, as documented (see the harness page).
      await page.locator('#slot').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      const before = (await below.boundingBox())!.y;
      await mount(page, 'recommendations', { strategy: 'trending', limit: 8 }, { slot: '#slot' });
      const skeleton = (await below.boundingBox())!.y;
      await loaded(page);
      await page.waitForTimeout(300);
      const after = (await below.boundingBox())!.y;
      expect([skeleton, after]).toEqual([before, before]);
      expect(await page.evaluate(() => (window as unknown as { __cls: number }).__cls)).toBe(0);
    }));

  it('counts the impression only once the shelf is on screen', () =>
    withPage(async (page) => {
      await mount(page, 'recommendations', { strategy: 'trending', limit: 4 }, { slot: '#slot-below' });
      await loaded(page, '#slot-below');
      await page.waitForTimeout(500);
      expect((await events(page)).filter((e) => e.name === 'widget_impression')).toEqual([]);
      await page.locator('#slot-below').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      expect(await waitForEvents(page, 'widget_impression')).toHaveLength(1);
    }));

  it('never takes focus from the page', () =>
    withPage(async (page) => {
      await page.focus('#opener');
      await mount(page, 'recommendations', { strategy: 'trending', limit: 4 }, { slot: '#slot' });
      await loaded(page);
      expect(await focused(page)).toBe('#opener');
    }));

  it('steps aside when it has nothing to show: no shelf, no impression, the shop\'s own content back', () =>
    withPage(async (page) => {
      await page.locator('#slot').evaluate((el) => (el.innerHTML = '<p id="fallback">Shop fallback</p>'));
      const everything = catalog().map((i) => i.item_id);
      await mount(page, 'recommendations', { strategy: 'trending', limit: 4 }, { slot: '#slot', cart: everything });
      await page.waitForFunction(() => document.querySelector('#slot')!.shadowRoot!.querySelector('slot') !== null);
      await expect(page.locator('#fallback').isVisible()).resolves.toBe(true);
      expect(await events(page)).toEqual([]);
    }));
});

describe('drawer', () => {
  it('opens as a modal side panel without a slot, and closes on Escape', () =>
    withPage(async (page) => {
      await page.focus('#opener');
      await mount(page, 'recommendations', { strategy: 'trending', limit: 6, layout: 'drawer' });
      const panel = page.locator('[data-touchpoint-widget="recommendations"] [role="dialog"]');
      await panel.locator('.tp-recs[aria-busy="false"]').waitFor();
      const box = (await panel.boundingBox())!;
      expect(box.x + box.width).toBeCloseTo(1280, 0); // on the right edge
      expect(box.height).toBeCloseTo(800, 0);
      await expect(panel.locator('.tp-card').count()).resolves.toBe(6);
      await page.keyboard.press('Escape');
      expect(await page.locator('[data-touchpoint-widget]').count()).toBe(0);
      expect(await focused(page)).toBe('#opener');
    }));
});
