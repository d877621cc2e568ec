// Journey 5: on an opt-in site a shopper refuses consent: no marketing widget ever shows and no
// analytics event reaches the worker. Later they accept, and events flow from then on.
import { describe, expect, it } from 'vitest';
import { queryD1 } from '../support/local-d1';
import { createSite, onlyWidgets, putConfig, screenshotsOnFailure, Shopper, useJourneyBrowser } from './journey-support';

const SITE = 'journey-optin';
useJourneyBrowser();

const eventsOf = (anon: string) => queryD1<{ name: string }>(`SELECT name FROM events WHERE site = '${SITE}' AND anon_id = '${anon}' ORDER BY ts`).map((r) => r.name);

describe('journey: opt-in consent', () => {
  it('sends and shows nothing after a refusal, and starts once the shopper accepts', async () => {
    screenshotsOnFailure('consent');
    await createSite(SITE, { consent_mode: 'opt-in' });
    await putConfig(
      SITE,
      onlyWidgets({
        cart_reminder: { settings: { cart_url: '/demo/cart' } },
        interested_product: { trigger: { type: 'immediate' }, settings: { min_views: 2 } },
        signup_benefit: { trigger: { type: 'page_views', count: 2 } },
      }),
    );

    const shopper = await Shopper.open(SITE, { scriptAttributes: 'data-consent-mode="opt-in"' });
    // What left the browser: decide requests, and the events sent (by id: a resend is one event).
    const events = new Map<string, string>();
    let decides = 0;
    shopper.context.on('request', (request) => {
      if (request.url().endsWith('/v1/decide')) decides++;
      if (request.url().endsWith('/v1/inbox')) for (const e of JSON.parse(request.postData() ?? '{}').events ?? []) events.set(e.id, e.name);
    });
    shopper.decides = false;
    await shopper.goto('');
    // The shop's consent banner answers "no" to everything but the necessary.
    await shopper.page.evaluate(() => (window as any).touchpoint('consent', { analytics: false, marketing: false }));
    // The choice is stored a moment later; a page left at once could lose it (see the report).
    await expect.poll(() => shopper.storedConsent()).toEqual({ analytics: false, marketing: false });
    await shopper.addToCart('k-mug');
    for (const path of ['product?id=k-tumbler', 'product?id=k-tumbler', 'category?c=kitchen']) await shopper.goto(path);
    await shopper.advance(1);
    await shopper.goto('');
    await shopper.page.waitForTimeout(1500);
    expect(await shopper.waiting()).toBe(0); // refused events are dropped, not kept for later
    const anon = await shopper.anonId();
    // Only the refusal itself is recorded (a necessary record of the choice, no analytics).
    expect([...events.values()]).toEqual(['consent_update']);
    expect(decides).toBe(0);
    expect(shopper.decisions).toEqual([]);
    expect(await shopper.page.locator('[data-touchpoint-widget]').count()).toBe(0);
    expect(queryD1(`SELECT name, json_extract(props, '$.analytics') AS analytics FROM events WHERE site = '${SITE}'`)).toEqual([{ name: 'consent_update', analytics: 0 }]);

    // Later the shopper changes their mind in the shop's privacy settings.
    await shopper.page.evaluate(() => (window as any).touchpoint('consent', { analytics: true, marketing: true }));
    shopper.decides = true;
    await shopper.goto('product?id=k-plate');
    await shopper.goto('category?c=beauty');
    await shopper.flush();
    await expect.poll(() => eventsOf(anon), { timeout: 15_000 }).toEqual(expect.arrayContaining(['consent_update', 'page_view', 'view_item']));
    // Nothing from before the acceptance was kept and sent late.
    expect(eventsOf(anon)).not.toContain('add_to_cart');
    expect(decides).toBeGreaterThan(0);
    expect(shopper.problems).toEqual([]);
  });
});
