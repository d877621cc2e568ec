// Journey 6: the marketer switches a widget off in the admin; shoppers stop seeing it within the
// config cache time; rolling back to the earlier version in the admin brings it back.
import { describe, expect, it } from 'vitest';
import { admin, browser, createSite, OPERATOR, onlyWidgets, putConfig, screenshotsOnFailure, Shopper, uploadCatalogue, useJourneyBrowser, WORKER } from './journey-support';

const SITE = 'journey-switch';
const CONFIG_CACHE_MS = 10_000; // edge/config/config-store.ts
useJourneyBrowser();

/** Reloads the shopper's home page until `shown` says what it should; returns how long that took. */
async function until(shopper: Shopper, shown: boolean): Promise<number> {
  const started = Date.now();
  await expect
    .poll(
      async () => {
        await shopper.goto('');
        return shopper.decisions.at(-1)!.inline.some((d) => d.widget === 'recommendations');
      },
      { timeout: CONFIG_CACHE_MS + 8_000, interval: 500 },
    )
    .toBe(shown);
  return Date.now() - started;
}

describe('journey: switching a widget off', () => {
  it('stops showing within the cache time once switched off, and rollback brings it back', async () => {
    screenshotsOnFailure('switch');
    await createSite(SITE);
    await uploadCatalogue(SITE);
    const on = await putConfig(SITE, onlyWidgets({ recommendations: { settings: { strategy: 'trending' } } }));
    const shopper = await Shopper.open(SITE);
    await until(shopper, true);
    await expect.poll(() => shopper.page.locator('[data-touchpoint="recommendations"] a.tp-card-link').count()).toBeGreaterThan(0);

    // The marketer, in the admin.
    const marketer = await (await browser.newContext({ locale: 'ko-KR', viewport: { width: 1400, height: 900 } })).newPage();
    marketer.setDefaultTimeout(10_000);
    await marketer.goto(`${WORKER}/admin/`);
    await marketer.getByLabel('사이트').fill(SITE);
    await marketer.getByLabel('관리자 토큰').fill(OPERATOR);
    await marketer.getByRole('button', { name: '로그인' }).click();
    await marketer.getByRole('link', { name: '캠페인' }).click();
    await marketer.locator('[data-campaign="recommendations"]').getByRole('button', { name: '일시 중지' }).click();
    await expect.poll(() => marketer.getByRole('status').first().textContent()).toContain('저장했어요');
    const off = (await (await admin(SITE, '/config')).json()) as { version: number; config: { campaigns: { id: string; enabled: boolean }[] } };
    expect(off.version).toBe(on.version + 1);
    expect(off.config.campaigns.find((c) => c.id === 'recommendations')!.enabled).toBe(false);
    expect(await until(shopper, false)).toBeLessThan(CONFIG_CACHE_MS + 3_000);

    await marketer.getByRole('link', { name: '변경 이력' }).click();
    await marketer.locator(`tr[data-version="${on.version}"]`).getByRole('button').click();
    await expect.poll(() => marketer.getByRole('status').first().textContent()).toContain('되돌렸어요');
    await marketer.context().close();
    expect(await until(shopper, true)).toBeLessThan(CONFIG_CACHE_MS + 3_000);
    expect(shopper.problems).toEqual([]);
  });
});
