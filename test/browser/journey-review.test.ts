// Journey 4: a shopper buys; a week later the review prompt asks about the product; they give it
// five stars; the review is in reviews.csv and the prompt never asks about that product again.
import { describe, expect, it } from 'vitest';
import { admin, createSite, onlyWidgets, putConfig, screenshotsOnFailure, Shopper, useJourneyBrowser } from './journey-support';

const SITE = 'journey-review';
useJourneyBrowser();

describe('journey: review prompt', () => {
  it('asks after the purchase, takes five stars into reviews.csv, and does not ask about that product again', async () => {
    screenshotsOnFailure('review');
    await createSite(SITE);
    await putConfig(SITE, onlyWidgets({ review_prompt: { trigger: { type: 'time_on_page', seconds: 1 }, settings: { days_after_purchase: 7 } } }));

    const shopper = await Shopper.open(SITE);
    await shopper.addToCart('k-mug');
    const order = await shopper.checkOut();

    // Too early: the next day there is nothing to ask yet.
    await shopper.advance(1);
    await shopper.goto('');
    expect(shopper.lastOverlay()).toBe(null);

    // A week after the purchase.
    await shopper.advance(7);
    await shopper.goto('');
    expect(shopper.lastOverlay()).toBe('review_prompt');
    const prompt = shopper.overlay('review_prompt');
    await expect.poll(() => prompt.getByRole('dialog').isVisible()).toBe(true);
    expect(await prompt.getByText('하루 세라믹 머그컵 350ml').count()).toBeGreaterThan(0);
    await prompt.getByLabel('5점').check();
    await prompt.getByRole('button', { name: '후기 남기기' }).click();
    await shopper.flush();

    const csv = async () => (await admin(SITE, '/reviews.csv')).text();
    await expect.poll(csv, { timeout: 15_000 }).toContain('k-mug');
    const [header, ...rows] = (await csv()).trim().split(/\r?\n/);
    const columns = header!.split(',');
    expect(rows).toHaveLength(1);
    const row = rows[0]!.split(',');
    expect(row[columns.indexOf('item_id')]).toBe('k-mug');
    expect(row[columns.indexOf('rating')]).toBe('5');
    expect(row[columns.indexOf('transaction_id')]).toBe(order);

    // Days later, on other pages: never asked about the mug again.
    for (const days of [1, 3, 10]) {
      await shopper.advance(days);
      await shopper.goto('category?c=kitchen');
      await shopper.page.waitForTimeout(1500);
      expect(shopper.lastOverlay()).toBe(null);
      expect(await prompt.count()).toBe(0);
    }
    expect(shopper.problems).toEqual([]);
  });

  it('asks a day after the shop reports the order delivered (order_delivered), before the week is out', async () => {
    screenshotsOnFailure('review-delivered');
    const site = `${SITE}-delivered`;
    await createSite(site);
    await putConfig(site, onlyWidgets({ review_prompt: { trigger: { type: 'time_on_page', seconds: 1 }, settings: { days_after_purchase: 7, days_after_delivery: 1 } } }));
    const shopper = await Shopper.open(site);
    await shopper.addToCart('b-handcream');
    const order = await shopper.checkOut();

    // Two days later the shop's backend says the parcel arrived.
    await shopper.advance(2);
    const delivered = await admin(site, '/events', { method: 'POST', body: JSON.stringify({ events: [{ id: `delivered-${order}`, name: 'order_delivered', user_id: 'shop-backend', props: { transaction_id: order } }] }) }, shopper.now());
    expect(delivered.status, await delivered.clone().text()).toBe(202);
    expect(await delivered.json()).toMatchObject({ accepted: 1, rejected: [] });
    await shopper.goto('');
    expect(shopper.lastOverlay()).toBe(null); // delivered today: not yet

    await shopper.advance(1); // day 3 of 7 after the purchase, a day after delivery
    await shopper.goto('');
    expect(shopper.lastOverlay()).toBe('review_prompt');
    await expect.poll(() => shopper.overlay('review_prompt').getByText('시어버터 핸드크림 50ml').count()).toBeGreaterThan(0);
    expect(shopper.problems).toEqual([]);
  });
});
