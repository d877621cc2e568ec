// Journey 3: recommendations on a product page are what other shoppers viewed with that product,
// never the product itself nor what this shopper has bought.
import { describe, expect, it } from 'vitest';
import { createSite, onlyWidgets, putConfig, screenshotsOnFailure, Shopper, uploadCatalogue, useJourneyBrowser } from './journey-support';

const SITE = 'journey-recs';
useJourneyBrowser();

/** The product ids the recommendations shelf shows on the current page. */
async function shelf(shopper: Shopper): Promise<string[]> {
  const links = shopper.page.locator('[data-touchpoint="recommendations"] a.tp-card-link');
  await expect.poll(() => links.count(), { timeout: 10_000 }).toBeGreaterThan(0);
  const hrefs = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  return hrefs.map((href) => new URL(href).searchParams.get('id')!);
}

describe('journey: recommendations', () => {
  it('shows products viewed together with this one first, never this product or one already bought', async () => {
    screenshotsOnFailure('recommendations');
    await createSite(SITE);
    await uploadCatalogue(SITE);
    await putConfig(SITE, onlyWidgets({ recommendations: { settings: { strategy: 'viewed_together', limit: 4 } } }));

    // Other shoppers look at the mug together with the tumbler and the kettle.
    for (let i = 0; i < 3; i++) {
      const other = await Shopper.open(SITE);
      for (const id of ['k-mug', 'k-tumbler', 'k-kettle']) await other.goto(`product?id=${id}`);
      await other.flush();
      await other.context.close();
    }

    const shopper = await Shopper.open(SITE);
    await shopper.goto('product?id=k-mug');
    await expect.poll(async () => (await shelf(shopper)).slice(0, 2).sort(), { timeout: 15_000 }).toEqual(['k-kettle', 'k-tumbler']);
    expect(await shelf(shopper)).not.toContain('k-mug');

    // This shopper buys the tumbler: it is not recommended back to them.
    await shopper.addToCart('k-tumbler');
    await shopper.checkOut();
    await shopper.goto('product?id=k-mug');
    await expect.poll(async () => (await shelf(shopper))[0], { timeout: 15_000 }).toBe('k-kettle');
    const shown = await shelf(shopper);
    expect(shown).not.toContain('k-mug');
    expect(shown).not.toContain('k-tumbler');
    expect(shopper.problems).toEqual([]);
  });
});
