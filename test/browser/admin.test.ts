// The marketer's admin (/admin) in real Chromium against the real worker: sign in with the site's
// own token, preview a campaign with the real widget module, a validation error beside its field
// (in Korean), switching a campaign off, history and rollback, results without data and with a
// report, CSV download, the security headers, and copy holding markup shown as text with no script run.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import type { ReportT } from '../../edge/contract';
import { launchChromium } from '../support/chromium';
import { queryD1 } from '../support/local-d1';
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
    // /admin/ opens the overview.
    await page.waitForURL(/\/admin\/overview$/);
    expect(await page.evaluate(() => sessionStorage.getItem('touchpoint-admin'))).toContain(SITE_TOKEN);

    // The campaign list, then the sign-up campaign's editor.
    await page.getByRole('link', { name: '캠페인' }).click();
    await page.locator('[data-campaign="signup_benefit"]').getByRole('link', { name: '가입 혜택 (방문 고객)' }).click();
    await page.waitForURL(/\/admin\/campaigns\/signup_benefit$/);
    await page.getByRole('button', { name: /무엇을/ }).click();

    // The live preview: the real widget module, with the config's copy.
    const preview = page.frameLocator('iframe[data-preview="signup_benefit"]');
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

    // A per-day cap of 0 is refused, the error beside the field in Korean, and nothing saved.
    const before = (await siteApi('/config')).version;
    await page.getByRole('button', { name: /얼마나 자주/ }).click();
    await page.getByLabel('하루', { exact: true }).fill('0');
    await page.getByRole('button', { name: '저장', exact: true }).click();
    const error = page.locator('[data-error-for="campaigns[0].caps.per_day"]');
    await expect.poll(() => error.textContent()).toBe('1 이상이어야 해요.');
    expect(await page.getByLabel('하루', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect((await siteApi('/config')).version).toBe(before);

    // Fixed, switched off, saved.
    await page.getByLabel('하루', { exact: true }).fill('2');
    await page.getByLabel('사용', { exact: true }).uncheck();
    await page.getByRole('button', { name: '저장', exact: true }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('저장했어요');
    expect(await error.count()).toBe(0);
    const saved = await siteApi('/config');
    expect(saved.version).toBe(before + 1);
    expect(saved.config.campaigns[0]).toMatchObject({ id: 'signup_benefit', enabled: false, caps: { per_day: 2 } });
    expect(saved.config.campaigns[0].variants[0].copy).toMatchObject({ ko: { title: '가입하면 {benefit}, 오늘만!' }, en: { title: XSS } });

    // History, and rollback to the version before: the campaign is on again.
    await page.getByRole('link', { name: '캠페인' }).click();
    await page.getByRole('link', { name: '변경 이력' }).click();
    const row = page.locator(`tr[data-version="${before}"]`);
    await row.waitFor();
    expect(await page.locator(`tr[data-version="${before + 1}"]`).textContent()).toContain('현재');
    await row.getByRole('button').click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('되돌렸어요');
    const rolledBack = await siteApi('/config');
    expect(rolledBack.version).toBe(before + 2);
    expect(rolledBack.config.campaigns[0].enabled).toBe(true);
    await page.goto(`${WORKER}/admin/campaigns/signup_benefit`);
    expect(await page.getByLabel('사용', { exact: true }).isChecked()).toBe(true);

    // Results before there is data: a plain note.
    await page.getByRole('link', { name: '성과' }).first().click();
    await expect.poll(() => page.locator('main').textContent()).toMatch(/아직 성과 데이터가 없어요|비교군/);

    // Leads and reviews downloads, fetched with the token.
    await page.getByRole('link', { name: '고객군·전달' }).click();
    const download = page.waitForEvent('download');
    await page.locator('[data-export="reviews.csv"]').click();
    expect((await download).suggestedFilename()).toBe(`${SITE}-reviews.csv`);

    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
    expect(await page.evaluate(() => (window as any).__csp ?? [])).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('draws a report: the verdict in Korean, intervals drawn as intervals, the SRM warning, the daily chart', async () => {
    const day = (date: string, shown: number, holdout: number) => ({ date, shown_visitors: 100, holdout_visitors: 10, impressions: 120, clicks: 30, conversions_shown: shown, conversions_holdout: holdout, revenue_shown: shown * 30000, revenue_holdout: holdout * 30000 });
    const group = (visitors: number, conversions: number) => ({ visitors, impressions: visitors, clicks: 10, dismissals: 5, submits: 0, conversions, conversion_rate: conversions / visitors, revenue: conversions * 30000, revenue_per_visitor: (conversions * 30000) / visitors });
    const metrics: ReportT['control_group']['control'] = { shoppers: 100, buyers: 10, repeat_buyers: 2, revenue: 300000, revenue_per_shopper: 3000, revenue_per_shopper_ci95: [2000, 4000], conversion_rate: 0.1, conversion_rate_ci95: [0.05, 0.15], repeat_purchase_rate: 0.2, repeat_purchase_rate_ci95: [0.1, 0.3] };
    const ENGLISH = '<b>Shown</b> converts better: +5.0 points.';
    const report: ReportT = {
      site: SITE,
      from: '2026-11-01',
      to: '2026-11-03',
      generated_at: Date.now(),
      interval_method: { rate: 'wilson', difference: 'newcombe', verdict: 'msprt', revenue_difference: 'welch' },
      timezone: 'Asia/Seoul',
      currency: 'KRW',
      gross_margin_percent: 30,
      campaigns: [
        {
          campaign: 'cart_reminder',
          name: '장바구니 리마인드 / Cart reminder',
          template: 'cart_reminder',
          widget: 'cart_reminder',
          variant: 'default',
          shown: group(900, 90),
          holdout: group(100, 5),
          lift: { shown_rate: 0.1, holdout_rate: 0.05, difference: 0.05, ci95: [0.01, 0.09], always_valid_ci95: [0.005, 0.095], always_valid_p: 0.01, relative_lift: 1, verdict: 'significant_lift', more_visitors_needed: null, message: ENGLISH },
          redemptions: 3,
          benefit_cost: 9000,
          incremental_conversions: 45,
          incremental_conversions_ci95: [9, 81],
          incremental_revenue: 1350000,
          incremental_revenue_ci95: [200000, 2500000],
          incremental_margin: 405000,
          incremental_margin_ci95: [60000, 750000],
          roi: 44,
          daily: [day('2026-11-01', 20, 1), day('2026-11-02', 30, 2), day('2026-11-03', 40, 2)],
        },
      ],
      handoffs: [],
      redemptions: [],
      control_group: { control_group_percent: 5, control: metrics, others: metrics, difference: { revenue_per_shopper: 0, revenue_per_shopper_ci95: [-1, 1], conversion_rate: 0, conversion_rate_ci95: [-0.01, 0.01], repeat_purchase_rate: 0, repeat_purchase_rate_ci95: [-0.01, 0.01] } },
      srm: { p_threshold: 0.001, checks: [{ campaign: 'cart_reminder', expected_holdout_share: 0.1, observed_holdout_share: 0.2, p_value: 0.00001, mismatch: true }], mismatches: ['cart_reminder'] },
      stages: { counts: { prospect: 10, new: 3, active: 1, at_risk: 0, dormant: 0, wakeup: 0 }, transitions: [] },
      excluded_events: { total: 0, by_reason: { cloudflare_bot: 0, webdriver: 0, bot_user_agent: 0, staff: 0, test_browser: 0 } },
    };
    await page.route('**/v1/admin/sites/*/report*', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(report) }));
    await page.goto(`${WORKER}/admin/results/cart_reminder`);
    const result = page.locator('.result[data-campaign="cart_reminder"]');
    await result.waitFor();
    expect(await result.getByRole('heading', { level: 2 }).textContent()).toBe('장바구니 리마인드');
    expect(await result.locator('.template').textContent()).toBe('장바구니 알림');
    expect(await result.locator('.verdict').textContent()).toBe('효과 있음: 노출 그룹의 전환율이 확실히 높아요.');
    expect(await result.locator('.verdict-detail').textContent()).toBe('노출 그룹 전환율 10.0%, 비교군 5.0% (차이 +5.0p).');
    expect(await result.locator('.srm').textContent()).toContain('표본 비율 불일치');
    expect(await page.locator('main').textContent()).not.toContain('converts better');
    expect(await result.locator('table.groups tr', { hasText: '전환율' }).locator('td').allTextContents()).toEqual(['10.0%', '5.0%']);
    expect(await result.locator('table.money tr[data-variant="default"] td').first().textContent()).toBe('45 (95% 구간 9 ~ 81)');
    // Intervals as intervals: a bar from the low end to the high end, the estimate between them.
    const row = result.locator('svg.interval-chart').first().locator('g.interval').first();
    const bar = row.locator('line.interval-bar').first();
    const [x1, x2] = [Number(await bar.getAttribute('x1')), Number(await bar.getAttribute('x2'))];
    const dot = Number(await row.locator('circle').getAttribute('cx'));
    expect(x1).toBeLessThan(dot);
    expect(dot).toBeLessThan(x2);
    expect(await result.locator('svg .series-0 path').first().getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+ L[\d.]+,[\d.]+ L[\d.]+,[\d.]+$/);
    await page.screenshot({ path: `${ARTIFACTS}admin-results.png`, fullPage: true });
    // In English, the verdict in English.
    await page.getByRole('combobox', { name: /Language/ }).selectOption('en');
    await expect.poll(() => result.locator('.verdict').textContent()).toBe('It works: shown visitors convert clearly better.');
    await page.getByRole('combobox', { name: /Language/ }).selectOption('ko');
    await page.unroute('**/v1/admin/sites/*/report*');
  });
  it('shows parked ingest messages on the overview, stores them again from its button, and discards one no replay can read', async () => {
    onTestFailed(async () => void (await page.screenshot({ path: `${ARTIFACTS}admin-dead-letters-failure.png`, fullPage: true }).catch(() => {})));
    const now = Date.now();
    const event = { id: `dl-${now}`, name: 'page_view', ts: now - 1000, client_ts: now - 1000, anon_id: 'anon-dead-letter', user_id: null, session_id: 'sess-dead-letter', seq: 1, url: 'https://shop.example/', props: '{"title":"Home"}' };
    const body = JSON.stringify({ v: 1, site: SITE, received_at: now, events: [event] });
    queryD1(`INSERT INTO dead_letters (message_id, site, reason, body, attempts, received_at, parked_at) VALUES ('m-${now}', '${SITE}', 'retries_exhausted: test', '${body}', 1, ${now}, ${now})`);
    await page.goto(`${WORKER}/admin/overview`);
    const card = page.locator('[data-card="dead-letters"]');
    await card.waitFor();
    expect(await card.getByRole('heading', { level: 2 }).textContent()).toBe('저장하지 못한 이벤트 메시지');
    expect(await card.locator('[data-kpi="dead_letters"] dd').textContent()).toBe('1');
    expect(await card.textContent()).toContain('retries_exhausted: test');
    await card.getByRole('button', { name: '다시 저장하기' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: '메시지' }).first().textContent()).toBe('메시지 1건을 저장했어요(새 이벤트 1건). 남은 메시지 0건.');
    expect(queryD1<{ n: number }>(`SELECT count(*) AS n FROM events WHERE site = '${SITE}' AND id = '${event.id}'`)).toEqual([{ n: 1 }]);
    expect(queryD1<{ n: number }>(`SELECT count(*) AS n FROM dead_letters WHERE site = '${SITE}'`)).toEqual([{ n: 0 }]);

    // A body no replay can read stays parked; its row on the card discards it, once confirmed.
    queryD1(`INSERT INTO dead_letters (message_id, site, reason, body, attempts, received_at, parked_at) VALUES ('m-bad-${now}', '${SITE}', 'malformed_message: events must be a list', '{"v":1}', 1, ${now}, ${now})`);
    await page.reload();
    await card.waitFor();
    const row = card.locator('[data-dead-letter]');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('malformed_message: events must be a list · 이벤트 –건');
    const discard = row.getByRole('button', { name: /^메시지 \d+ 버리기$/ });
    page.once('dialog', (dialog) => void dialog.dismiss());
    await discard.click();
    expect(queryD1<{ n: number }>(`SELECT count(*) AS n FROM dead_letters WHERE site = '${SITE}'`)).toEqual([{ n: 1 }]);
    page.once('dialog', (dialog) => {
      expect(dialog.message()).toBe('이 메시지를 저장하지 않고 버릴까요? 되돌릴 수 없어요.');
      void dialog.accept();
    });
    await discard.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: '버렸어요' }).first().textContent()).toBe('메시지를 버렸어요. 남은 메시지 0건.');
    expect(queryD1<{ n: number }>(`SELECT count(*) AS n FROM dead_letters WHERE site = '${SITE}'`)).toEqual([{ n: 0 }]);
    // Direct mode with nothing parked: the card steps aside.
    await page.reload();
    await page.locator('.page.overview').waitFor();
    expect(await page.locator('[data-card="dead-letters"]').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
