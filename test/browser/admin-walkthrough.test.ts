// A marketer's morning in the admin, in real Chromium against the real worker: sign in, read the
// overview, find an uncovered cell in the journey map, create a campaign from the gallery for it,
// preview it on the demo shop (this browser only), publish, see it decided for a shopper of the
// demo shop, read its results after traffic, roll back. axe-core checks every page (no serious or
// critical violation), keyboard only reaches every page, and every page is photographed in Korean
// at desktop and phone width into test-artifacts/admin/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ReportT, SiteConfigT } from '../../edge/contract';
import { seriousAxeViolations as axe } from '../support/admin-tab';
import { launchChromium } from '../support/chromium';
// @ts-expect-error plain ESM build scripts, no declarations
import { DEMO_SITE, ensureSite } from '../../scripts/lib/dev-worker.mjs';

const WORKER = inject('workerUrl');
const SITE = 'admin-walk';
const TOKEN = 'admin-walk-site-token-0123456789abcdef';
const OUT = join(process.cwd(), 'test-artifacts', 'admin');
const PAGES = ['overview', 'journey', 'campaigns', 'campaigns/new', 'campaigns/history', 'results', 'audiences'] as const;

let browser: Browser;
let marketer: BrowserContext;
let page: Page;
const problems: string[] = [];

const siteApi = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
  const response = await fetch(`${WORKER}/v1/admin/sites/${SITE}${path}`, { ...init, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...init.headers } });
  expect(response.status, `${path}: ${await response.clone().text()}`).toBeLessThan(300);
  return response.json() as Promise<T>;
};

/** The demo shop pages name site `demo`; this walk's shop is its own site. */
async function showSite(context: BrowserContext): Promise<void> {
  await context.route(`${WORKER}/demo/**`, async (route) => {
    if (route.request().resourceType() !== 'document') return route.fallback();
    const response = await route.fetch();
    await route.fulfill({ response, body: (await response.text()).replace('data-site="demo"', `data-site="${SITE}"`) });
  });
}


/** One shopper's browser decided for on the demo home page: the overlay it got. */
async function decideFor(anon: string, url = `${WORKER}/demo/`): Promise<{ overlay: { campaign: string; decision_id: string } | null }> {
  const response = await fetch(`${WORKER}/v1/decide`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain', Origin: new URL(WORKER).origin },
    body: JSON.stringify({ site: SITE, anon_id: anon, session_id: `s-${anon}`, page: { url, type: 'home' }, consent: { analytics: true, marketing: true }, device: 'desktop' }),
  });
  expect(response.status).toBe(200);
  return response.json() as Promise<{ overlay: { campaign: string; decision_id: string } | null }>;
}

/** Presses Tab until the focused element's text or label matches `name` (at most 120 presses). */
async function tabTo(p: Page, name: RegExp): Promise<void> {
  for (let i = 0; i < 120; i++) {
    await p.keyboard.press('Tab');
    const focused = await p.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '' : '';
      return `${el.getAttribute('aria-label') ?? ''} ${label} ${el.closest('label')?.textContent ?? ''} ${el.textContent ?? ''}`.trim();
    });
    if (name.test(focused)) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  await ensureSite(WORKER, inject('adminToken'), SITE, { ...DEMO_SITE, name: 'Admin walk shop' }, TOKEN);
  // The ready journey, with the sign-up touch point left uncovered (its campaign switched off).
  const config = await siteApi<{ config: SiteConfigT }>('/config');
  await siteApi('/config', { method: 'PUT', body: JSON.stringify({ ...config.config, campaigns: config.config.campaigns.map((c) => (c.id === 'signup_benefit' ? { ...c, enabled: false } : c)) }) });
  browser = await launchChromium();
  marketer = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'ko-KR' });
  await showSite(marketer);
  page = await marketer.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => problems.push(error.message));
});

afterAll(async () => {
  await browser?.close();
});

describe('admin walkthrough', () => {
  it('serves the admin page, with its security headers, at every /admin/ path', async () => {
    for (const path of ['/admin/overview', '/admin/campaigns/signup_benefit', '/admin/results/cart_reminder']) {
      const response = await fetch(`${WORKER}${path}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('/admin/admin.js');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('walks a marketer from the overview to a published campaign, its results and a rollback', async () => {
    // Sign in: the token stays in this tab's sessionStorage; a deep link lands on its page.
    await page.goto(`${WORKER}/admin/journey`);
    await page.getByLabel('사이트').fill(SITE);
    await page.getByLabel('관리자 토큰').fill(TOKEN);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.getByRole('heading', { name: '고객 여정', level: 1 }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('touchpoint-admin'))).toContain(TOKEN);

    // The overview, by keyboard: Tab from the page start reaches the menu and Enter follows it.
    await page.getByRole('link', { name: '개요' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/overview$/);
    await page.getByRole('heading', { name: '지난주와 달라진 점' }).waitFor();
    expect(await page.locator('[data-kpi="impressions"] dt').textContent()).toBe('노출된 프롬프트');
    // Stage names in Korean, none in English.
    expect(await page.locator('main').textContent()).toContain('첫 구매 고객');
    expect(await page.locator('main').textContent()).not.toMatch(/\bprospect\b|\bat_risk\b/);

    // Back and forward move between pages.
    await page.goBack();
    await page.waitForURL(/\/admin\/journey$/);
    await page.goForward();
    await page.waitForURL(/\/admin\/overview$/);

    // The journey map: the sign-up cell is uncovered; create a campaign there from the gallery.
    await page.getByRole('link', { name: '고객 여정' }).click();
    const cell = page.locator('[data-touchpoint="sign_up"]');
    await expect.poll(() => cell.getAttribute('data-covered')).toBe('false');
    expect(await page.locator('[data-touchpoint="recover_cart"]').getAttribute('data-covered')).toBe('true');
    await cell.getByRole('link', { name: /여기에 캠페인 만들기/ }).click();
    await page.waitForURL(/\/admin\/campaigns\/new\?point=sign_up$/);
    await page.getByRole('button', { name: '이 캠페인으로 시작: 가입 혜택 (방문 고객)' }).click();
    await page.waitForURL(/\/admin\/campaigns\/signup_benefit-2$/);
    await page.getByRole('heading', { name: /가입 혜택 \(방문 고객\)/, level: 1 }).waitFor();
    const created = await siteApi<{ config: SiteConfigT }>('/config');
    expect(created.config.campaigns.find((c) => c.id === 'signup_benefit-2')).toMatchObject({ template: 'signup_benefit', enabled: false });
    const versionBefore = (await siteApi<{ version: number }>('/config')).version;

    // The steps: who (summary in words), when (shown at once), what (copy with a live preview).
    expect(await page.locator('.summary').textContent()).toContain('가입·첫 구매 전 단계의 비회원');
    await page.getByRole('button', { name: /언제/ }).click();
    await page.getByLabel('노출 시점').selectOption('immediate');
    expect(await page.locator('.summary').textContent()).toBe('페이지를 열자마자');
    await page.getByRole('button', { name: /무엇을/ }).click();
    const preview = page.frameLocator('iframe[data-preview="signup_benefit"]');
    await expect.poll(() => preview.getByRole('heading').textContent(), { timeout: 10_000 }).toBe('지금 가입하면 10% 할인 쿠폰');
    await page.getByLabel('title (ko)').fill('오늘 가입하면 {benefit}');
    await expect.poll(() => preview.getByRole('heading').textContent()).toBe('오늘 가입하면 10% 할인 쿠폰');
    await page.getByText('데스크톱', { exact: true }).click();
    expect(await page.locator('iframe[data-preview]').getAttribute('class')).toContain('preview-desktop');

    // Editing a nullable audience object: switched on, filled, switched off again.
    await page.getByRole('button', { name: /누구에게/ }).click();
    await page.locator('details.advanced summary').click();
    await page.getByLabel('points_expiring').first().check();
    await page.getByLabel('within_days').first().fill('7');
    expect(await page.locator('.summary').textContent()).toContain('7일 안에 소멸하는 포인트가 있는');
    await page.getByLabel('points_expiring').first().uncheck();

    // A refused value: its error beside the field, in Korean, nothing saved.
    await page.getByRole('button', { name: /얼마나 자주/ }).click();
    await page.getByLabel('하루', { exact: true }).fill('0');
    await page.getByRole('button', { name: '저장', exact: true }).click();
    await expect.poll(() => page.locator('[data-error-for$=".caps.per_day"]').textContent()).toBe('1 이상이어야 해요.');
    expect((await siteApi<{ version: number }>('/config')).version).toBe(versionBefore);
    await page.getByLabel('하루', { exact: true }).fill('1');

    // Preview on my shop: a new tab of the demo shop shows this campaign (as edited), this browser only.
    const opened = marketer.waitForEvent('page');
    await page.getByRole('button', { name: '내 쇼핑몰에서 미리보기' }).click();
    const shop = await opened;
    await shop.waitForLoadState();
    expect(shop.url()).toMatch(/\/demo\/\?tp_preview=/);
    const shopOverlay = shop.locator('[data-touchpoint-widget="signup_benefit"]');
    await expect.poll(() => shopOverlay.getByRole('heading').textContent(), { timeout: 15_000 }).toBe('오늘 가입하면 10% 할인 쿠폰');
    // Another browser with the same link sees no preview; the unpublished campaign decides for nobody.
    expect((await decideFor('other-browser-0001', shop.url())).overlay?.campaign ?? null).not.toBe('signup_benefit-2');
    await shop.close();

    // Publish: switched on and saved; a shopper of the demo shop is decided for it.
    await page.getByRole('button', { name: '게시' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('저장했어요');
    const published = await siteApi<{ version: number; config: SiteConfigT }>('/config');
    expect(published.version).toBe(versionBefore + 1);
    expect(published.config.campaigns.find((c) => c.id === 'signup_benefit-2')).toMatchObject({ enabled: true, trigger: { type: 'immediate' } });
    const shopper = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ko-KR' });
    await showSite(shopper);
    const shopperPage = await shopper.newPage();
    const decided = shopperPage.waitForResponse((r) => r.url().endsWith('/v1/decide'));
    await shopperPage.goto(`${WORKER}/demo/`);
    // The config cache of the edge may hold the version before for a few seconds.
    await expect
      .poll(
        async () => {
          const body = (await (await decided).json()) as { overlay: { campaign: string } | null };
          if (body.overlay?.campaign === 'signup_benefit-2') return true;
          return (await decideFor(`walk-shopper-${Date.now()}`)).overlay?.campaign === 'signup_benefit-2';
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(true);
    await shopper.close();

    // Traffic: shoppers decided for, who see the prompt, and one in three signs up.
    let decidedFor = 0;
    for (let i = 0; i < 30; i++) {
      const anon = `walk-traffic-${i.toString().padStart(4, '0')}`;
      const overlay = (await decideFor(anon)).overlay;
      if (overlay?.campaign !== 'signup_benefit-2') continue;
      decidedFor++;
      const now = Date.now();
      const event = (name: string, props: Record<string, unknown>, at: number) => ({ id: `evt-${crypto.randomUUID()}`, name, ts: at, anon_id: anon, session_id: `s-${anon}`, url: `${WORKER}/demo/`, props });
      const events = [event('widget_impression', { decision_id: overlay.decision_id, widget: 'signup_benefit', variant: 'default' }, now - 2000)];
      if (i % 3 === 0) events.push(event('sign_up', { method: 'email' }, now - 1000));
      const sent = await fetch(`${WORKER}/v1/collect`, { method: 'POST', headers: { 'Content-Type': 'text/plain', Origin: new URL(WORKER).origin }, body: JSON.stringify({ site: SITE, sent_at: now, events }) });
      expect(sent.status, await sent.text()).toBeLessThan(300);
    }
    expect(decidedFor).toBeGreaterThan(20);
    await expect
      .poll(async () => (await siteApi<ReportT>('/report?campaign=signup_benefit-2')).campaigns.reduce((s, r) => s + r.shown.conversions, 0), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await page.locator('.editor-actions').getByRole('link', { name: '성과' }).click();
    await page.waitForURL(/\/admin\/results\/signup_benefit-2$/);
    const result = page.locator('.result[data-campaign="signup_benefit-2"]').first();
    await result.waitFor();
    expect(await result.locator('.verdict').textContent()).toMatch(/효과|차이|부족/);
    const shownConversions = (await siteApi<ReportT>('/report?campaign=signup_benefit-2')).campaigns[0]!.shown.conversions;
    expect(await result.locator('table.groups tr', { hasText: /^전환\d/ }).locator('td').first().textContent()).toBe(String(shownConversions));
    expect(await result.locator('svg.interval-chart').count()).toBeGreaterThan(0);
    // The report's English message never shows in the Korean admin.
    const report = await siteApi<ReportT>('/report?campaign=signup_benefit-2');
    expect(await page.locator('main').textContent()).not.toContain(report.campaigns[0]!.lift.message);

    // Roll back to the version before publishing: the campaign is off again.
    await page.goto(`${WORKER}/admin/campaigns/history`);
    await page.locator(`tr[data-version="${versionBefore}"]`).getByRole('button').click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('되돌렸어요');
    const rolledBack = await siteApi<{ config: SiteConfigT }>('/config');
    expect(rolledBack.config.campaigns.find((c) => c.id === 'signup_benefit-2')!.enabled).toBe(false);

    // Schedule: published to start next year, it is listed as scheduled and decides for nobody yet.
    await page.goto(`${WORKER}/admin/campaigns/signup_benefit-2`);
    await page.getByRole('button', { name: /언제/ }).click();
    await page.getByLabel('시작').fill('2027-03-01T09:00');
    expect(await page.locator('.summary').textContent()).toContain('2027-03-01 09:00부터');
    await page.getByRole('button', { name: '게시' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('저장했어요');
    const scheduled = (await siteApi<{ config: SiteConfigT }>('/config')).config.campaigns.find((c) => c.id === 'signup_benefit-2')!;
    expect(scheduled.enabled).toBe(true);
    expect(scheduled.schedule.start).toMatch(/^2027-03-01T09:00:00[+-]\d\d:\d\d$/);
    await page.getByRole('link', { name: '캠페인' }).click();
    await page.getByLabel('상태').selectOption('scheduled');
    expect(await page.locator('.campaign-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-campaign')))).toEqual(['signup_benefit-2']);
    await page.locator('[data-campaign="signup_benefit-2"]').getByRole('button', { name: '일시 중지' }).click();
    await expect.poll(async () => (await siteApi<{ config: SiteConfigT }>('/config')).config.campaigns.find((c) => c.id === 'signup_benefit-2')!.enabled).toBe(false);
    expect(problems).toEqual([]);
  });

  it('works with the keyboard alone: sign in, move between pages, edit a campaign step by step, save', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ko-KR' });
    const p = await context.newPage();
    p.setDefaultTimeout(15_000);
    await p.goto(`${WORKER}/admin/campaigns`);
    await tabTo(p, /^사이트$/);
    await p.keyboard.press('Control+A');
    await p.keyboard.type(SITE);
    await tabTo(p, /관리자 토큰/);
    await p.keyboard.type(TOKEN);
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: '캠페인 목록', level: 1 }).waitFor();
    // The menu, then the journey page: focus lands on the new page's heading.
    await tabTo(p, /^고객 여정$/);
    await p.keyboard.press('Enter');
    await p.waitForURL(/\/admin\/journey$/);
    await expect.poll(() => p.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    // From the journey map into a campaign.
    await tabTo(p, /장바구니 리마인드/);
    await p.keyboard.press('Enter');
    await p.waitForURL(/\/admin\/campaigns\/cart_reminder$/);
    // Step 4 (how often), a cap changed, saved: all by keyboard.
    await tabTo(p, /얼마나 자주/);
    await p.keyboard.press('Enter');
    await tabTo(p, /^하루$/);
    await p.keyboard.press('Control+A');
    await p.keyboard.type('2');
    await tabTo(p, /^저장$/);
    await p.keyboard.press('Enter');
    await expect.poll(() => p.getByRole('status').first().textContent()).toContain('저장했어요');
    const saved = await siteApi<{ config: SiteConfigT }>('/config');
    expect(saved.config.campaigns.find((c) => c.id === 'cart_reminder')!.caps.per_day).toBe(2);
    await context.close();
  });

  it('every page: no serious or critical axe violation, screenshots in Korean at desktop and phone width', async () => {
    for (const [size, viewport] of [
      ['desktop', { width: 1400, height: 900 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      await page.setViewportSize(viewport);
      for (const path of [...PAGES, 'campaigns/signup_benefit-2']) {
        await page.goto(`${WORKER}/admin/${path}`);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        if (path === 'campaigns/signup_benefit-2') await page.frameLocator('iframe[data-preview]').locator('html[data-mounted]').waitFor();
        expect(await axe(page), `${path} at ${size}`).toEqual([]);
        // Nothing wider than the phone: the page itself does not scroll sideways.
        if (size === 'phone') expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(392);
        await page.screenshot({ path: join(OUT, `${path.replace(/\//g, '-')}-ko-${size}.png`), fullPage: size === 'desktop' });
      }
    }
    expect(problems).toEqual([]);
  });

  it('in English, no Korean word on any page (campaign names show their English half)', async () => {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${WORKER}/admin/overview`);
    await page.getByRole('combobox', { name: /Language/ }).selectOption('en');
    for (const path of [...PAGES, 'campaigns/signup_benefit-2', 'results/signup_benefit-2']) {
      await page.goto(`${WORKER}/admin/${path}`);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      const text = (await page.locator('body').innerText()).replace(/한국어/g, '');
      expect(text.match(/[\uac00-\ud7a3]+/g) ?? [], path).toEqual([]);
      if (path === 'overview' || path === 'journey') await page.screenshot({ path: join(OUT, `${path}-en-desktop.png`), fullPage: true });
    }
    await page.getByRole('combobox', { name: /Language/ }).selectOption('ko');
  });
});
