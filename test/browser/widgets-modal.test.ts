// The modal frame, through the signup-benefit widget: dialog semantics, focus in, focus trapped,
// Escape and backdrop close, focus returned; and the email capture with its separate consent.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { propsFor } from './widget-fixtures';
import { events, focused, mount, useHarness, waitForEvents, widgetUrls } from './widget-harness';

const { withPage } = useHarness();

/** Opens the signup modal the way a shopper meets it: focus was on the page's menu button. */
async function openSignup(page: Page, props: Record<string, unknown> = {}) {
  await page.focus('#opener');
  await mount(page, 'signup_benefit', { ...propsFor('signup_benefit', 'ko'), ...props });
  await page.locator('[role="dialog"]').waitFor();
}

const dialog = (page: Page) => page.locator('[data-touchpoint-widget="signup_benefit"] [role="dialog"]');
const mounted = (page: Page) => page.evaluate(() => document.querySelectorAll('[data-touchpoint-widget]').length);

describe('modal dialog', () => {
  it('is a labelled, modal dialog that takes focus and counts one impression', () =>
    withPage(async (page) => {
      await openSignup(page);
      await expect(dialog(page).getAttribute('aria-modal')).resolves.toBe('true');
      const labelledBy = (await dialog(page).getAttribute('aria-labelledby'))!;
      await expect(page.locator(`[data-touchpoint-widget] #${labelledBy}`).textContent()).resolves.toBe('지금 가입하면 5,000원 할인 쿠폰');
      expect(await focused(page)).toBe('div.tp-panel.tp-modal-panel');
      const [impression] = await waitForEvents(page, 'widget_impression');
      expect(impression).toMatchObject({ decision_id: 'dec-signup-benefit-0001', widget: 'signup_benefit' });
      await page.waitForTimeout(200);
      expect((await events(page)).filter((e) => e.name === 'widget_impression')).toHaveLength(1);
    }));

  it('keeps Tab and Shift+Tab inside, in both directions', () =>
    withPage(async (page) => {
      await openSignup(page);
      const order: string[] = [];
      for (let i = 0; i < 7; i++) {
        await page.keyboard.press('Tab');
        order.push(await focused(page));
      }
      // close, CTA, email, submit, consent checkbox, privacy link, then round to close again.
      expect(order).toEqual([
        'button.tp-close[닫기]',
        'a.tp-button',
        '#tp-email',
        'button.tp-button.tp-submit',
        'input',
        'a',
        'button.tp-close[닫기]',
      ]);
      await page.keyboard.press('Shift+Tab');
      expect(await focused(page)).toBe('a');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      expect(await focused(page)).toBe('button.tp-close[닫기]');
      await page.keyboard.press('Shift+Tab');
      expect(await focused(page)).toBe('a');
    }));

  it('closes on Escape, says so, and gives focus back to where it was', () =>
    withPage(async (page) => {
      await openSignup(page);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Escape');
      expect(await mounted(page)).toBe(0);
      expect(await focused(page)).toBe('#opener');
      const dismiss = (await events(page)).filter((e) => e.name === 'widget_dismiss');
      expect(dismiss).toEqual([{ name: 'widget_dismiss', props: { reason: 'escape' }, decision_id: 'dec-signup-benefit-0001', widget: 'signup_benefit' }]);
    }));

  it('closes on a click on the backdrop but not on one inside the panel', () =>
    withPage(async (page) => {
      await openSignup(page);
      await page.locator('[data-touchpoint-widget] .tp-body').click();
      expect(await mounted(page)).toBe(1);
      await page.mouse.click(40, 400);
      expect(await mounted(page)).toBe(0);
      expect(await focused(page)).toBe('#opener');
      expect((await events(page)).filter((e) => e.name === 'widget_dismiss').map((e) => e.props)).toEqual([{ reason: 'backdrop' }]);
    }));

  it('closes with its close button, and a second unmount from the SDK does nothing', () =>
    withPage(async (page) => {
      await openSignup(page);
      await page.locator('[data-touchpoint-widget] .tp-close').click();
      expect(await mounted(page)).toBe(0);
      await page.evaluate(() => (window as unknown as { __unmount(): void }).__unmount());
      expect((await events(page)).filter((e) => e.name === 'widget_dismiss')).toHaveLength(1);
    }));

  it('brings focus back if something on the page tries to take it', () =>
    withPage(async (page) => {
      await openSignup(page);
      await page.evaluate(() => (document.getElementById('after') as HTMLElement).focus());
      expect(await focused(page)).toBe('div.tp-panel.tp-modal-panel');
    }));

  it('reports the click on its call to action, with an http(s) link only', () =>
    withPage(async (page) => {
      await openSignup(page);
      const cta = page.locator('[data-touchpoint-widget] a.tp-button');
      await expect(cta.getAttribute('href')).resolves.toMatch(/^http:\/\/localhost:\d+\/signup$/);
      // Stay on the page to read the events: the shop's own handler cancels the navigation.
      await page.evaluate(() => document.addEventListener('click', (e) => e.preventDefault()));
      await cta.click();
      expect((await events(page)).find((e) => e.name === 'widget_click')?.props).toMatchObject({ target: 'signup' });
    }));
});

describe('email capture', () => {
  it('sends lead_submit with the consent box left unticked: consent is separate, optional and off by default', () =>
    withPage(async (page) => {
      await openSignup(page);
      const consent = page.locator('[data-touchpoint-widget] input[type="checkbox"]');
      await expect(consent.isChecked()).resolves.toBe(false);
      await page.locator('[data-touchpoint-widget] #tp-email').fill('shopper@example.com');
      await page.keyboard.press('Enter');
      const [lead] = await waitForEvents(page, 'lead_submit');
      expect(lead!.props).toEqual({ email: 'shopper@example.com', marketing_consent: false });
      expect((await events(page)).find((e) => e.name === 'widget_submit')?.props).toEqual({ email_capture: true, marketing_consent: false });
      await expect(page.locator('[data-touchpoint-widget] [role="status"]').textContent()).resolves.toContain('신청이 완료되었어요');
      // Closing after submitting is not a dismissal.
      await page.locator('[data-touchpoint-widget] .tp-done .tp-button').click();
      expect((await events(page)).filter((e) => e.name === 'widget_dismiss')).toEqual([]);
    }));

  it('sends marketing_consent true only when the box is ticked', () =>
    withPage(async (page) => {
      await openSignup(page);
      await page.locator('[data-touchpoint-widget] #tp-email').fill('yes@example.com');
      await page.locator('[data-touchpoint-widget] input[type="checkbox"]').check();
      await page.locator('[data-touchpoint-widget] .tp-submit').click();
      expect((await waitForEvents(page, 'lead_submit'))[0]!.props).toEqual({ email: 'yes@example.com', marketing_consent: true });
    }));

  it('says what is wrong with a mistyped address and sends nothing', () =>
    withPage(async (page) => {
      await openSignup(page);
      await page.locator('[data-touchpoint-widget] #tp-email').fill('not an email');
      await page.locator('[data-touchpoint-widget] .tp-submit').click();
      await expect(page.locator('[data-touchpoint-widget] [role="alert"]').textContent()).resolves.toBe('Please check the email address.');
      await expect(page.locator('[data-touchpoint-widget] #tp-email').getAttribute('aria-invalid')).resolves.toBe('true');
      expect((await events(page)).filter((e) => e.name === 'lead_submit')).toEqual([]);
    }, { lang: 'en' }));

  it('has no email field unless the config asks for one', () =>
    withPage(async (page) => {
      await openSignup(page, { email_capture: false });
      await expect(page.locator('[data-touchpoint-widget] input').count()).resolves.toBe(0);
      await page.locator('[data-touchpoint-widget] .tp-link-button').click();
      expect((await events(page)).find((e) => e.name === 'widget_dismiss')?.props).toEqual({ reason: 'later' });
    }));
});

describe('config', () => {
  it('takes copy key by key from config, falling back to the built-in defaults, and the theme as CSS variables', () =>
    withPage(async (page) => {
      await openSignup(page, {
        copy: { ko: { title: '첫 구매 {benefit} 드려요', cta: '' }, en: { title: 'ignored in Korean' } },
        benefit: { kind: 'points', amount: '3,000P' },
        theme: { primary: '#0a7d4f', radius: 4, text: 'red; background: url(x)' },
      });
      await expect(page.locator('[data-touchpoint-widget] h2').textContent()).resolves.toBe('첫 구매 적립금 3,000P 드려요');
      await expect(page.locator('[data-touchpoint-widget] a.tp-button').textContent()).resolves.toBe('회원가입하고 혜택 받기');
      const style = await page.locator('[data-touchpoint-widget] .tp').evaluate((el) => {
        const s = getComputedStyle(el);
        return { primary: s.getPropertyValue('--tp-primary'), radius: s.getPropertyValue('--tp-radius'), text: s.getPropertyValue('--tp-text') };
      });
      expect(style).toEqual({ primary: '#0a7d4f', radius: '4px', text: '#111827' });
      const button = await page.locator('[data-touchpoint-widget] a.tp-button').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(button).toBe('rgb(10, 125, 79)');
    }));

  it('drops a signup_url or privacy_url that is not http(s)', () =>
    withPage(async (page) => {
      await openSignup(page, { signup_url: 'javascript:alert(1)', privacy_url: 'data:text/html,<script>alert(1)</script>' });
      expect(await widgetUrls(page)).toEqual([]);
      await expect(page.locator('[data-touchpoint-widget] a').count()).resolves.toBe(0);
    }));
});

describe('motion', () => {
  it.each([
    ['reduce', 'none'],
    ['no-preference', 'tp-in'],
  ] as const)('with prefers-reduced-motion: %s the panel animation is %s', (reducedMotion, expected) =>
    withPage(async (page) => {
      await mount(page, 'signup_benefit', propsFor('signup_benefit', 'ko'));
      await expect(dialog(page).evaluate((el) => getComputedStyle(el).animationName)).resolves.toBe(expected);
    }, { reducedMotion }),
  );
});
