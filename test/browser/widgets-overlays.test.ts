// The other overlays' own behaviour: cart reminder, review prompt (keyboard star rating),
// marketing consent (member and guest), the non-modal interested-product nudge, welcome back.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { item, propsFor } from './widget-fixtures';
import { events, focused, mount, useHarness, waitForEvents, type HarnessOptions } from './widget-harness';

const harness = useHarness();
/** Each test on a fresh page that stays put when a link is clicked (forms still submit). */
const withPage = (fn: (page: Page) => Promise<void>, options: HarnessOptions = {}) =>
  harness.withPage(async (page) => {
    await page.evaluate(() => document.addEventListener('click', (e) => e.composedPath().some((el) => el instanceof HTMLAnchorElement) && e.preventDefault()));
    await fn(page);
  }, options);

const widget = (page: Page, name: string) => page.locator(`[data-touchpoint-widget="${name}"]`);

describe('cart reminder', () => {
  it('lists the items with image, name, price and quantity, the total and the offer, and links to the cart', () =>
    withPage(async (page) => {
      await mount(page, 'cart_reminder', propsFor('cart_reminder', 'ko'));
      const w = widget(page, 'cart_reminder');
      await expect(w.locator('.tp-cart-item').count()).resolves.toBe(3);
      await expect(w.locator('.tp-cart-item').first().innerText()).resolves.toMatch(/분청 머그컵 350ml\s+수량 2개\s+18,000원/);
      await expect(w.locator('.tp-cart-item img').count()).resolves.toBe(3);
      await expect(w.locator('.tp-total').innerText()).resolves.toMatch(/총 상품금액\s+114,000원/);
      await expect(w.locator('.tp-code-text').textContent()).resolves.toBe('COMEBACK10');
      await w.locator('a.tp-button').click();
      expect((await events(page)).find((e) => e.name === 'widget_click')?.props).toMatchObject({ target: 'cart', url: expect.stringMatching(/\/cart$/) });
    }));

  it('shows prices in the shopper\'s language and folds long carts', () =>
    withPage(async (page) => {
      const items = [0, 1, 2, 3, 0].map((i, n) => ({ ...item('en', i), item_id: `sku-${n}` }));
      await mount(page, 'cart_reminder', { ...propsFor('cart_reminder', 'en'), items, total: 129000, offer: undefined });
      const w = widget(page, 'cart_reminder');
      await expect(w.locator('.tp-total .tp-price').textContent()).resolves.toBe('₩129,000');
      await expect(w.locator('.tp-more').textContent()).resolves.toBe('+ 2 more');
      await expect(w.locator('.tp-code').count()).resolves.toBe(0);
    }, { lang: 'en' }));
});

describe('review prompt', () => {
  it('rates by keyboard (arrow keys in a radio group) and sends one review_submit per rated item', () =>
    withPage(async (page) => {
      await mount(page, 'review_prompt', propsFor('review_prompt', 'ko'));
      const w = widget(page, 'review_prompt');
      const stops: string[] = [];
      for (let i = 0; i < 2; i++) {
        await page.keyboard.press('Tab');
        stops.push(await focused(page));
      }
      expect(stops).toEqual(['button.tp-close[닫기]', 'input']); // then the first item's stars
      await expect(w.locator('fieldset').first().locator('legend').textContent()).resolves.toBe('분청 머그컵 350ml 별점');
      await page.keyboard.press('ArrowRight'); // 2 stars (the first arrow moves from 1 to 2; Space picks 1)
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await expect(w.locator('fieldset').first().locator('input:checked').getAttribute('value')).resolves.toBe('5');
      await expect(w.locator('fieldset').first().locator('.tp-star-on').count()).resolves.toBe(5);
      // The text box appears once the item is rated.
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('textarea.tp-input.tp-textarea');
      await page.keyboard.type('유약 색이 사진보다 예뻐요');
      await w.locator('button[type="submit"]').click();
      const reviews = await waitForEvents(page, 'review_submit');
      // The second item was not rated: no review for it.
      expect(reviews.map((r) => r.props)).toEqual([{ item_id: 'mug', item_name: '분청 머그컵 350ml', rating: 5, text: '유약 색이 사진보다 예뻐요', transaction_id: 'T-1001' }]);
      expect((await events(page)).find((e) => e.name === 'widget_submit')?.props).toEqual({ reviews: 1, items: 2 });
      await expect(w.locator('[role="status"] h2').textContent()).resolves.toBe('소중한 후기 감사합니다');
    }));

  it('asks for a rating before sending anything', () =>
    withPage(async (page) => {
      await mount(page, 'review_prompt', propsFor('review_prompt', 'en'));
      const w = widget(page, 'review_prompt');
      await w.locator('button[type="submit"]').click();
      await expect(w.locator('[role="alert"]').textContent()).resolves.toBe('Please choose a star rating first.');
      expect((await events(page)).filter((e) => e.name === 'review_submit')).toEqual([]);
      await w.locator('.tp-star').nth(2).click(); // 3 stars by pointer on the second row? no: first item's third star
      await expect(w.locator('[role="alert"]').count()).resolves.toBe(0);
      await w.locator('fieldset').nth(1).locator('.tp-star').nth(3).click();
      await w.locator('button[type="submit"]').click();
      expect((await waitForEvents(page, 'review_submit', 2)).map((r) => [r.props.item_id, r.props.rating])).toEqual([
        ['mug', 3],
        ['bowl', 4],
      ]);
    }, { lang: 'en' }));
});

describe('marketing consent', () => {
  it('takes a guest\'s email as a lead with consent, and tells the shop page', () =>
    withPage(async (page) => {
      await page.evaluate(() => window.addEventListener('touchpoint:marketing_consent', (e) => ((window as unknown as { __consent: unknown }).__consent = (e as CustomEvent).detail)));
      await mount(page, 'marketing_consent', propsFor('marketing_consent', 'ko'));
      const w = widget(page, 'marketing_consent');
      await w.locator('input[type="email"]').fill('guest@example.com');
      await w.locator('button[type="submit"]').click();
      expect((await waitForEvents(page, 'lead_submit'))[0]!.props).toEqual({ email: 'guest@example.com', marketing_consent: true });
      expect((await events(page)).find((e) => e.name === 'widget_submit')?.props).toEqual({ marketing_consent: true });
      expect(await page.evaluate(() => (window as unknown as { __consent: unknown }).__consent)).toEqual({ granted: true, email: 'guest@example.com' });
    }));

  it('asks a signed-in member for nothing but the yes, and makes saying no as easy', () =>
    withPage(async (page) => {
      await mount(page, 'marketing_consent', propsFor('marketing_consent', 'ko'), { userId: 'member-42' });
      const w = widget(page, 'marketing_consent');
      await expect(w.locator('input').count()).resolves.toBe(0);
      await w.locator('.tp-button-quiet').click();
      expect((await events(page)).map((e) => [e.name, e.props])).toEqual([
        ['widget_impression', {}],
        ['widget_dismiss', { reason: 'decline' }],
      ]);
    }));
});

describe('interested-product nudge', () => {
  it('appears without taking focus or blocking the page, and closes on Escape once focused', () =>
    withPage(async (page) => {
      await page.focus('#opener');
      await mount(page, 'interested_product', propsFor('interested_product', 'ko'));
      await waitForEvents(page, 'widget_impression');
      expect(await focused(page)).toBe('#opener');
      const w = widget(page, 'interested_product');
      await expect(w.locator('[role="dialog"]').count()).resolves.toBe(0);
      await expect(w.locator('aside').getAttribute('aria-labelledby')).resolves.toBeTruthy();
      await expect(w.locator('.tp-small').textContent()).resolves.toBe('4번이나 보신 상품이에요. 지금 다시 확인해 보세요.');
      // The page behind stays usable.
      await page.locator('#after').click();
      expect(await page.locator('[data-touchpoint-widget]').count()).toBe(1);
      await w.locator('a.tp-button').focus();
      await page.keyboard.press('Escape');
      expect(await page.locator('[data-touchpoint-widget]').count()).toBe(0);
      expect((await events(page)).find((e) => e.name === 'widget_dismiss')?.props).toEqual({ reason: 'escape' });
    }));
});

describe('welcome back', () => {
  it('shows the offer code and both ways on', () =>
    withPage(async (page) => {
      await mount(page, 'welcome_back', propsFor('welcome_back', 'en'));
      const w = widget(page, 'welcome_back');
      await expect(w.locator('h2').textContent()).resolves.toBe('Welcome back!');
      await w.locator('.tp-code button').click();
      await w.locator('a.tp-button').click();
      expect((await events(page)).filter((e) => e.name === 'widget_click').map((e) => e.props.target)).toEqual(['copy_code', 'cta']);
      await w.locator('.tp-link-button').click();
      expect((await events(page)).find((e) => e.name === 'widget_dismiss')?.props).toEqual({ reason: 'later' });
    }, { lang: 'en' }));
});
