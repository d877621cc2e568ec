// Every widget in Korean and English, at desktop and phone size, into test-artifacts/widgets/.
// Also checks what a screenshot can't: overlays on phones are bottom sheets covering at most half
// the screen, and the shop's CSS does not reach into the widget.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog, propsFor, WIDGETS } from './widget-fixtures';
import { DESKTOP, ensureTestSite, MOBILE, mount, useHarness, waitForEvents } from './widget-harness';

const OUT = join(process.cwd(), 'test-artifacts', 'widgets');
const { withPage } = useHarness(async () => {
  mkdirSync(OUT, { recursive: true });
  await ensureTestSite(catalog().filter((i) => i.item_id !== 'xss'));
});

describe.each([
  ['desktop', DESKTOP],
  ['mobile', MOBILE],
] as const)('%s', (size, viewport) => {
  for (const widget of WIDGETS) {
    for (const lang of ['ko', 'en'] as const) {
      it(`${widget} in ${lang}`, () =>
        withPage(async (page) => {
          const inline = widget === 'recommendations';
          await mount(page, widget, propsFor(widget, lang), inline ? { slot: '#slot' } : {});
          // An inline shelf counts as seen only once it is on screen.
          if (inline) await page.locator('#slot').evaluate((el) => el.scrollIntoView({ block: 'center' }));
          await waitForEvents(page, 'widget_impression');
          const frame = inline ? page.locator('#slot .tp-recs') : page.locator('[data-touchpoint-widget] .tp-panel');
          await expect(frame.isVisible()).resolves.toBe(true);
          await page.evaluate(() => document.fonts.ready);
          await page.screenshot({ path: join(OUT, `${widget}-${lang}-${size}.png`) });

          const box = (await frame.boundingBox())!;
          if (size === 'mobile' && widget !== 'recommendations' && widget !== 'interested_product') {
            // A bottom sheet: full width, on the bottom edge, at most half the screen high.
            expect(box.width).toBeCloseTo(viewport.width, 0);
            expect(box.y + box.height).toBeCloseTo(viewport.height, 0);
            expect(box.height).toBeLessThanOrEqual(viewport.height / 2 + 1);
          }
          const heading = await page.locator(inline ? '#slot h2' : '[data-touchpoint-widget] h2').first().evaluate((h) => getComputedStyle(h).color);
          expect(heading, "the shop's `h2 { color: red }` stays out").not.toBe('rgb(255, 0, 0)');
        }, { lang, viewport }));
    }
  }
});
