// Journey 2: a shopper adds to cart and leaves; back the next day, the cart reminder shows; they
// buy, the reminder is gone, and the purchase is credited to the reminder.
import { describe, expect, it } from 'vitest';
import { queryD1 } from '../support/local-d1';
import { createSite, onlyWidgets, putConfig, screenshotsOnFailure, Shopper, useJourneyBrowser } from './journey-support';

const SITE = 'journey-cart';
useJourneyBrowser();

describe('journey: cart reminder', () => {
  it('reminds a returning shopper of the cart, credits the purchase to it, and stops once the cart is bought', async () => {
    screenshotsOnFailure('cart-reminder');
    await createSite(SITE);
    await putConfig(SITE, onlyWidgets({ cart_reminder: { settings: { cart_url: '/demo/cart' } } }));

    const shopper = await Shopper.open(SITE);
    await shopper.addToCart('k-mug');
    await shopper.goto('category?c=kitchen');
    await shopper.flush();
    expect(shopper.decisions.map((d) => d.overlay)).toEqual([null, null]);
    await shopper.page.goto('about:blank');

    // The next day.
    await shopper.advance(1);
    await shopper.goto('');
    expect(shopper.lastOverlay()).toBe('cart_reminder');
    const reminder = shopper.overlay('cart_reminder');
    await expect.poll(() => reminder.getByRole('dialog').isVisible()).toBe(true);
    expect(await reminder.getByText('장바구니에 담아둔 상품이 있어요').count()).toBe(1);
    await reminder.getByRole('link', { name: '장바구니 보러 가기' }).click();
    await shopper.page.waitForURL(/\/demo\/cart/);
    await shopper.checkOut();
    const anon = await shopper.anonId();

    // Bought: no reminder on the following pages, nor the day after.
    const after = shopper.decisions.length;
    await shopper.goto('');
    await shopper.advance(1);
    await shopper.goto('product?id=k-plate');
    expect(shopper.decisions.slice(after).map((d) => d.overlay)).toEqual([null, null]);

    // Credited: the reminder's impression, click and the purchase as its conversion.
    await expect
      .poll(() => queryD1(`SELECT impressions, clicks, conversions FROM widget_stats WHERE site = '${SITE}' AND campaign = 'cart_reminder'`), { timeout: 15_000 })
      .toEqual([{ impressions: 1, clicks: 1, conversions: 1 }]);
    const decisions = queryD1<{ widget: string; holdout: number }>(`SELECT widget, holdout FROM decisions WHERE site = '${SITE}'`);
    expect(decisions).toEqual([{ widget: 'cart_reminder', holdout: 0 }]);
    const purchases = queryD1<{ n: number }>(`SELECT COUNT(*) AS n FROM events WHERE site = '${SITE}' AND anon_id = '${anon}' AND name = 'purchase'`);
    expect(purchases[0]!.n).toBe(1);
    expect(shopper.problems).toEqual([]);
  });
});
