// Journey 6: the marketer switches a widget off; shoppers stop seeing it within the config cache
// time; rolling back to the earlier version brings it back.
import { describe, expect, it } from 'vitest';
import { admin, createSite, onlyWidgets, putConfig, screenshotsOnFailure, Shopper, uploadCatalogue, useJourneyBrowser } from './journey-support';

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

    const off = await putConfig(SITE, onlyWidgets({ recommendations: { enabled: false } }));
    expect(off.version).toBe(on.version + 1);
    expect(await until(shopper, false)).toBeLessThan(CONFIG_CACHE_MS + 3_000);

    const history = (await (await admin(SITE, '/config/history')).json()) as { current: number; versions: { version: number }[] };
    expect(history.current).toBe(off.version);
    expect(history.versions.map((v) => v.version)).toContain(on.version);
    const rollback = await admin(SITE, '/config/rollback', { method: 'POST', body: JSON.stringify({ version: on.version }) });
    expect(rollback.status).toBe(200);
    expect(await until(shopper, true)).toBeLessThan(CONFIG_CACHE_MS + 3_000);
    expect(shopper.problems).toEqual([]);
  });
});
