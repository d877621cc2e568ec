// The marketer's admin (/admin) in real Chromium against the real worker: sign in with the site's
// own token, preview a widget with the real widget module, a validation error beside its field,
// switching a widget off, history and rollback, results without data, CSV export, the security
// headers, and copy holding markup shown as text with no script run.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { launchChromium } from '../support/chromium';
// @ts-expect-error plain ESM build scripts, no declarations
import { DEMO_SITE, ensureSite } from '../../scripts/lib/dev-worker.mjs';

const WORKER = inject('workerUrl');
const SITE = 'admin-test';
const SITE_TOKEN = 'admin-test-site-token-0123456789abcdef';
const XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
const ARTIFACTS = new URL('../../test-artifacts/admin/', import.meta.url).pathname;

let browser: Browser;
let page: Page;
const problems: string[] = [];

const siteApi = async (path: string) => (await fetch(`${WORKER}/v1/admin/sites/${SITE}${path}`, { headers: { Authorization: `Bearer ${SITE_TOKEN}` } })).json() as Promise<any>;

beforeAll(async () => {
  await ensureSite(WORKER, inject('adminToken'), SITE, { ...DEMO_SITE, name: 'Admin test shop' }, SITE_TOKEN);
  // A first saved version (the defaults), for the marketer to roll back to.
  const first = await fetch(`${WORKER}/v1/admin/sites/${SITE}/config`, { method: 'PUT', headers: { Authorization: `Bearer ${SITE_TOKEN}`, 'Content-Type': 'application/json' }, body: '{}' });
  expect(first.status).toBe(200);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'ko-KR', acceptDownloads: true });
  // Any CSP violation or script run from copy is a failure.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => ((window as any).__csp ||= []).push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => message.type() === 'error' && !/Failed to load resource/.test(message.text()) && problems.push(message.text()));
});

afterAll(async () => {
  await browser?.close();
});

describe('admin', () => {
  it('is served with security headers: a CSP without inline or evaluated script, never framed', async () => {
    for (const path of ['/admin/', '/admin/admin.js']) {
      const response = await fetch(`${WORKER}${path}`);
      expect(response.status).toBe(200);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
    // The address `npm start` prints, without the trailing slash, opens it too.
    const root = await fetch(`${WORKER}/admin`);
    expect(root.status).toBe(200);
    const html = await root.text();
    expect(html).toContain('/admin/admin.js');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/); // no inline script
  });

  it('signs in, previews, refuses a bad value beside its field, saves, shows history and rolls back', async () => {
    onTestFailed(async () => void (await page.screenshot({ path: `${ARTIFACTS}admin-failure.png`, fullPage: true }).catch(() => {})));
    await page.goto(`${WORKER}/admin/`);
    await page.getByLabel('사이트').fill(SITE);
    await page.getByLabel('관리자 토큰').fill('wrong-token-wrong-token-wrong');
    await page.getByRole('button', { name: '로그인' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('올바르지 않아요');
    await page.getByLabel('관리자 토큰').fill(SITE_TOKEN);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.getByRole('heading', { name: '회원가입 혜택' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('touchpoint-admin'))).toContain(SITE_TOKEN);

    // The live preview: the real widget module, with the config's copy.
    const preview = page.locator('[data-preview="signup_benefit"]');
    await expect.poll(() => preview.getByRole('heading').textContent(), { timeout: 10_000 }).toBe('지금 가입하면 10% 할인 쿠폰');
    await page.getByLabel('title (ko)').fill('가입하면 {benefit}, 오늘만!');
    await expect.poll(() => preview.getByRole('heading').textContent()).toBe('가입하면 10% 할인 쿠폰, 오늘만!');
    await page.getByLabel('미리보기 언어').selectOption('en');
    await expect.poll(() => preview.getByRole('heading').textContent()).toBe('Join now and get 10% off');
    await page.screenshot({ path: `${ARTIFACTS}admin-widget.png`, fullPage: true });

    // Markup in copy is text, in the preview and after saving.
    await page.getByLabel('title (en)').fill(XSS);
    await expect.poll(() => preview.getByRole('heading').textContent()).toBe(XSS);
    expect(await preview.locator('img[src="x"]').count()).toBe(0);

    // A per-day cap of 0 is refused, the error beside the field, and nothing saved.
    const before = (await siteApi('/config')).version;
    await page.getByLabel('하루', { exact: true }).fill('0');
    await page.getByRole('button', { name: '저장' }).click();
    const error = page.locator('[data-error-for="campaigns[0].caps.per_day"]');
    await expect.poll(() => error.textContent()).toContain('at least 1');
    expect(await page.getByLabel('하루', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect((await siteApi('/config')).version).toBe(before);

    // Fixed, switched off, saved.
    await page.getByLabel('하루', { exact: true }).fill('2');
    await page.getByLabel('사용', { exact: true }).uncheck();
    await page.getByRole('button', { name: '저장' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('저장했어요');
    expect(await error.count()).toBe(0);
    const saved = await siteApi('/config');
    expect(saved.version).toBe(before + 1);
    expect(saved.config.campaigns[0]).toMatchObject({ id: 'signup_benefit', enabled: false, caps: { per_day: 2 } });
    expect(saved.config.campaigns[0].variants[0].copy).toMatchObject({ ko: { title: '가입하면 {benefit}, 오늘만!' }, en: { title: XSS } });

    // History, and rollback to the version before: the widget is on again.
    await page.getByRole('button', { name: '변경 이력' }).click();
    const row = page.locator(`tr[data-version="${before}"]`);
    await row.waitFor();
    expect(await page.locator(`tr[data-version="${before + 1}"]`).textContent()).toContain('현재');
    await row.getByRole('button').click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('되돌렸어요');
    const rolledBack = await siteApi('/config');
    expect(rolledBack.version).toBe(before + 2);
    expect(rolledBack.config.campaigns[0].enabled).toBe(true);
    await page.getByRole('button', { name: '위젯' }).click();
    expect(await page.getByLabel('사용', { exact: true }).isChecked()).toBe(true);

    // Results before the report exists (or with no data): a plain note.
    await page.getByRole('button', { name: '성과' }).click();
    await expect.poll(() => page.locator('main').textContent()).toMatch(/아직 성과 데이터가 없어요|홀드아웃/);

    // Leads and reviews, with the CSV fetched with the token.
    await page.getByRole('button', { name: '리드·리뷰' }).click();
    const download = page.waitForEvent('download');
    await page.locator('[data-export="reviews.csv"]').getByRole('button', { name: 'CSV 내려받기' }).click();
    expect((await download).suggestedFilename()).toBe(`${SITE}-reviews.csv`);

    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
    expect(await page.evaluate(() => (window as any).__csp ?? [])).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('draws a report: shown vs holdout, the verdict, the daily chart', async () => {
    // The report route is another issue's; its answer here has the contract's shape (edge/contract/report.ts).
    const day = (date: string, shown: number, holdout: number) => ({ date, shown_visitors: 100, holdout_visitors: 10, impressions: 120, clicks: 30, conversions_shown: shown, conversions_holdout: holdout, revenue_shown: shown * 30000, revenue_holdout: holdout * 30000 });
    const group = (visitors: number, conversions: number) => ({ visitors, impressions: visitors, clicks: 10, dismissals: 5, submits: 0, conversions, conversion_rate: conversions / visitors, revenue: conversions * 30000, revenue_per_visitor: (conversions * 30000) / visitors });
    const report = {
      site: SITE,
      from: '2026-11-01',
      to: '2026-11-03',
      generated_at: Date.now(),
      campaigns: [
        {
          campaign: 'cart_reminder',
          name: '장바구니 리마인드',
          template: 'cart_reminder',
          widget: 'cart_reminder',
          variant: 'default',
          shown: group(900, 90),
          holdout: group(100, 5),
          lift: { shown_rate: 0.1, holdout_rate: 0.05, difference: 0.05, ci95: [0.01, 0.09], relative_lift: 1, verdict: 'significant_lift', more_visitors_needed: null, message: '<b>Shown</b> converts better: +5.0 points.' },
          daily: [day('2026-11-01', 20, 1), day('2026-11-02', 30, 2), day('2026-11-03', 40, 2)],
        },
      ],
      stages: { counts: { prospect: 10, new: 3, active: 1, at_risk: 0, dormant: 0, wakeup: 0 }, transitions: [] },
    };
    await page.route('**/v1/admin/sites/*/report*', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(report) }));
    await page.reload();
    await page.getByRole('button', { name: '성과' }).click();
    const result = page.locator('[data-widget="cart_reminder"]');
    await result.waitFor();
    expect(await result.getByRole('heading').textContent()).toBe('장바구니 리마인드 · default');
    expect(await result.locator('.template').textContent()).toBe('장바구니 알림');
    expect(await result.locator('.verdict').textContent()).toBe('효과 있음: 노출 그룹의 전환율이 확실히 높아요.');
    expect(await result.locator('.verdict-detail').textContent()).toBe('<b>Shown</b> converts better: +5.0 points.');
    expect(await result.locator('tr', { hasText: '전환율' }).locator('td').allTextContents()).toEqual(['10.0%', '5.0%']);
    expect(await result.locator('svg path.series-shown').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+ L[\d.]+,[\d.]+ L[\d.]+,[\d.]+$/);
    await page.screenshot({ path: `${ARTIFACTS}admin-results.png`, fullPage: true });
    await page.unroute('**/v1/admin/sites/*/report*');
  });
});
