import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../edge/index';
import { BASE, createSite } from './helpers';
import { uploadCatalog } from './shop-helpers';
import { campaignsConfig, DAY, HOUR, rows, sendAt, serverEvents, Shopper, siteWith } from './shopper';

/** The journey's touch points (issue 16): for each template, who is decided and with what props,
 * who is not and why (the profile view's reason), through the real worker: browser events via
 * /v1/collect, the shop's server facts via POST /v1/admin/sites/:site/events. */

const T0 = Date.UTC(2026, 5, 1, 3);

/** One campaign of `template`, shown at once, uncapped, nobody held out. */
const one = (template: string, extra: Record<string, unknown> = {}) =>
  campaignsConfig([{ id: 'card', name: 'Card', template, trigger: { type: 'immediate' }, caps: { per_session: null, per_day: null, lifetime: null }, ...extra }]);

let n = 0;
async function member(site: string, now = T0) {
  const s = new Shopper(site, now);
  s.user = `member-${++n}-${crypto.randomUUID().slice(0, 6)}`;
  await s.track('sign_up', { method: 'email' });
  return s;
}

const buy = (s: Shopper, value = 20000, item = { item_id: 'sku-1', item_name: 'Sample', price: value, quantity: 1 }) =>
  s.track('purchase', { transaction_id: `T-${++n}-${s.anon}`, value, currency: 'KRW', items: [item] });

const reason = async (s: Shopper) => ((await s.profile()).eligibility as { campaign: string; reason: string | null }[]).find((e) => e.campaign === 'card')!.reason;

describe('welcome', () => {
  it('greets a member who signed up within 30 days and has not ordered, with the coupon the shop issued', async () => {
    const site = await siteWith(one('welcome'));
    const guest = new Shopper(site.id, T0);
    await guest.pageView();
    expect(await guest.overlay()).toBeNull();
    expect(await reason(guest)).toBe('for members only');

    const s = await member(site.id);
    await serverEvents(site.id, s.now, [{ name: 'coupon_issued', user_id: s.user, props: { code: 'WELCOME10', benefit: '첫 구매 10% 할인', expires_at: s.now + 14 * DAY } }]);
    const d = await s.overlay();
    expect(d).toMatchObject({ campaign: 'card', template: 'welcome', props: { cta_url: 'https://shop.example/', offer: { code: 'WELCOME10', benefit: '첫 구매 10% 할인', expires_at: s.now + 14 * DAY } } });

    s.advance(31 * DAY);
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toMatch(/^days since sign-up 31/);
  });

  it('does not greet a member who has ordered', async () => {
    const site = await siteWith(one('welcome'));
    const s = await member(site.id);
    await buy(s);
    expect(await s.overlay()).toBeNull();
    // The first order makes them `new`: out of the prospect stage before the orders range.
    expect(await reason(s)).toBe('stage new is not in its audience');
  });
});

describe('benefit_expiry', () => {
  it('shows the soonest unused coupon expiring within the window, with its code and end; not once redeemed', async () => {
    const site = await siteWith(one('benefit_expiry'));
    const s = await member(site.id);
    await serverEvents(site.id, s.now, [
      { name: 'coupon_issued', user_id: s.user, props: { code: 'LATER', benefit: '무료배송', expires_at: s.now + 10 * DAY } },
      { name: 'coupon_issued', user_id: s.user, props: { code: 'SOON10', benefit: '10% 할인', expires_at: s.now + 2 * DAY } },
    ]);
    expect(await s.overlay()).toMatchObject({ template: 'benefit_expiry', props: { coupon: { code: 'SOON10', benefit: '10% 할인', expires_at: s.now + 2 * DAY } } });

    await serverEvents(site.id, s.now, [{ name: 'coupon_redeemed', user_id: s.user, props: { code: 'SOON10' } }]);
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toBe('no coupon expires within 3 days');
    // A week on, the other one is within 3 days of its end.
    s.advance(7.5 * DAY);
    expect((await s.overlay())?.props.coupon.code).toBe('LATER');
  });
});

describe('second_purchase', () => {
  it('thanks a one-order customer from 3 days on; not after a second order', async () => {
    const site = await siteWith(one('second_purchase'));
    const s = new Shopper(site.id, T0);
    await buy(s);
    s.advance(2 * DAY);
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toMatch(/^days since last order 2/);
    s.advance(2 * DAY);
    expect(await s.overlay()).toMatchObject({ template: 'second_purchase', props: { mode: 'first_order' } });
    await buy(s);
    s.advance(4 * DAY);
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toBe('stage active is not in its audience');
  });

  it('offers a wakeup shopper the next order until they order again', async () => {
    const site = await siteWith(one('second_purchase'));
    const s = new Shopper(site.id, T0);
    await buy(s);
    await buy(s);
    s.advance(200 * DAY).newSession();
    await s.pageView();
    expect(await s.overlay()).toMatchObject({ template: 'second_purchase', props: { mode: 'wakeup' } });
    await buy(s);
    s.advance(4 * DAY);
    expect(await s.overlay()).toBeNull();
    // An order after the return makes them active again: the offer has done its job.
    expect(await reason(s)).toBe('stage active is not in its audience');
  });
});

describe('stamp_mission', () => {
  it('shows orders done as stamps from the 2nd to the 4th order, with the rewards', async () => {
    const site = await siteWith(one('stamp_mission', { settings: { goal: 5, rewards: [{ at: 5, benefit: { ko: '5천원 쿠폰', en: 'a ₩5,000 coupon' } }, { at: 3, benefit: { ko: '무료배송', en: 'free shipping' } }] } }));
    const s = await member(site.id);
    await buy(s);
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toBe('orders 1 is below 2');
    await buy(s);
    expect(await s.overlay()).toMatchObject({
      template: 'stamp_mission',
      props: { stamps: 2, goal: 5, rewards: [{ at: 3, benefit: { ko: '무료배송' } }, { at: 5, benefit: { ko: '5천원 쿠폰' } }] },
    });
    for (let i = 0; i < 3; i++) await buy(s);
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toBe('orders 5 is above 4');
  });

  it("with stamps_from: shop, shows the shop's own count, never a missing or stale one", async () => {
    const site = await siteWith(one('stamp_mission', { settings: { stamps_from: 'shop', max_data_age_hours: 24 }, audience: { orders: { min: null, max: null } } }));
    const s = await member(site.id);
    await buy(s);
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toBe("no stamps from the shop's server");
    await serverEvents(site.id, s.now, [{ name: 'stamps_updated', user_id: s.user, props: { stamps: 3 } }]);
    expect(await s.overlay()).toMatchObject({ template: 'stamp_mission', props: { stamps: 3, goal: 5 } });
    s.advance(25 * HOUR);
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toBe("stamps from the shop's server is 25 hours old (at most 24)");
    // From the browser it is refused: a page could claim any count.
    const sent = await sendAt(s.now, '/v1/collect', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ site: site.id, sent_at: s.now, events: [s.event('stamps_updated', { stamps: 4 })] }),
    });
    expect(((await sent.json()) as { rejected: unknown[] }).rejected).toHaveLength(1);
  });

  it('refuses a reward beyond the goal', async () => {
    const site = await siteWith(campaignsConfig([]));
    const { putConfig } = await import('./shopper');
    const response = await putConfig(site.id, one('stamp_mission', { settings: { goal: 3, rewards: [{ at: 4, benefit: { ko: '쿠폰', en: 'coupon' } }] } }));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('a reward is at an order beyond the goal');
  });
});

describe('membership_tier: only what the shop server sent, never stale', () => {
  it('is not decided without a tier, shows close-to-next, and stops once the data is older than max_data_age_hours', async () => {
    const site = await siteWith(one('membership_tier', { settings: { max_data_age_hours: 48, benefits: [{ tier: 'GOLD', benefit: { ko: '무료배송', en: 'free shipping' } }] } }));
    const s = await member(site.id);
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toBe("no tier from the shop's server");

    await serverEvents(site.id, s.now, [{ name: 'tier_updated', user_id: s.user, props: { tier: 'SILVER', next_tier: 'GOLD', amount_to_next: 30000 } }]);
    expect(await s.overlay()).toMatchObject({
      template: 'membership_tier',
      props: { mode: 'close', tier: 'SILVER', next_tier: 'GOLD', amount_to_next: 30000, currency: 'KRW', benefit: { ko: '무료배송' }, as_of: s.now - 10 },
    });
    s.advance(47 * HOUR);
    expect((await s.overlay())?.props.mode).toBe('close');
    s.advance(2 * HOUR);
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toBe("tier from the shop's server is 49 hours old (at most 48)");
  });

  it('congratulates a move up to the tier named as next, warns of a drop, and says nothing far from the next tier', async () => {
    const site = await siteWith(one('membership_tier'));
    const s = await member(site.id);
    await serverEvents(site.id, s.now, [{ name: 'tier_updated', user_id: s.user, props: { tier: 'BRONZE', next_tier: 'SILVER', amount_to_next: 90000 } }]);
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toBe('not close to the next tier, no drop soon, no recent move up');

    s.advance(HOUR);
    await serverEvents(site.id, s.now, [{ name: 'tier_updated', user_id: s.user, props: { tier: 'SILVER', next_tier: 'GOLD', amount_to_next: 200000 } }]);
    expect(await s.overlay()).toMatchObject({ props: { mode: 'up', tier: 'SILVER' } });

    s.advance(HOUR);
    const dropsAt = s.now + 10 * DAY;
    await serverEvents(site.id, s.now, [{ name: 'tier_updated', user_id: s.user, props: { tier: 'SILVER', next_tier: 'GOLD', amount_to_next: 200000, drops_at: dropsAt } }]);
    expect(await s.overlay()).toMatchObject({ props: { mode: 'drop', tier: 'SILVER', drops_at: dropsAt } });

    // A move down is no congratulation.
    const other = await member(site.id);
    await serverEvents(site.id, other.now, [{ name: 'tier_updated', user_id: other.user, props: { tier: 'GOLD' } }]);
    other.advance(HOUR);
    await serverEvents(site.id, other.now, [{ name: 'tier_updated', user_id: other.user, props: { tier: 'SILVER', next_tier: 'GOLD', amount_to_next: 200000 } }]);
    expect(await other.overlay()).toBeNull();
  });
});

describe('points: only what the shop server sent, never stale', () => {
  it('shows points expiring soonest with the balance; nothing without data or with stale data', async () => {
    const site = await siteWith(one('points'));
    const s = await member(site.id);
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toBe("no points from the shop's server");

    const first = s.now + 10 * DAY;
    await serverEvents(site.id, s.now, [{ name: 'points_updated', user_id: s.user, props: { balance: 5200, expiring: [{ amount: 1200, expires_at: first }, { amount: 800, expires_at: s.now + 20 * DAY }] } }]);
    expect(await s.overlay()).toMatchObject({ template: 'points', props: { mode: 'expiring', balance: 5200, expiring: { amount: 1200, expires_at: first }, as_of: s.now - 10 } });

    // The default limit is 72 hours: a balance older than that is not shown at all.
    s.advance(73 * HOUR);
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toBe("points from the shop's server is 73 hours old (at most 72)");
    await serverEvents(site.id, s.now, [{ name: 'points_updated', user_id: s.user, props: { balance: 4000, expiring: [] } }]);
    expect(await s.overlay()).toMatchObject({ props: { mode: 'unused', balance: 4000 } });
  });

  it('says nothing of a balance below min_balance with nothing expiring', async () => {
    const site = await siteWith(one('points', { settings: { min_balance: 5000 } }));
    const s = await member(site.id);
    await serverEvents(site.id, s.now, [{ name: 'points_updated', user_id: s.user, props: { balance: 4999, expiring: [] } }]);
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toBe('no points expire within 30 days and the balance is below 5000');
  });
});

describe('replenishment', () => {
  it('offers the product due for repurchase with its catalogue price and an add-to-cart link', async () => {
    const site = await siteWith(one('replenishment'));
    await uploadCatalog(site, [
      { item_id: 'sku-beans', name: '원두 500g', price: 18000, currency: 'KRW', image_url: 'https://shop.example/img/beans.jpg', url: 'https://shop.example/p/beans', replenish_days: 10 },
    ]);
    const s = new Shopper(site.id, T0);
    await buy(s, 18000, { item_id: 'sku-beans', item_name: '원두 500g', price: 18000, quantity: 1 });
    s.advance(DAY);
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toBe('no product is due for repurchase');

    s.advance(7 * DAY);
    expect(await s.overlay()).toMatchObject({
      template: 'replenishment',
      props: {
        item: { item_id: 'sku-beans', name: '원두 500g', price: 18000, currency: 'KRW', image_url: 'https://shop.example/img/beans.jpg', url: 'https://shop.example/p/beans' },
        due_at: T0 - 10 + 10 * DAY,
        add_to_cart_url: 'https://shop.example/cart?add=sku-beans',
        cart_url: 'https://shop.example/cart',
      },
    });

    // Already back in the cart: nothing to remind of.
    await s.track('add_to_cart', { currency: 'KRW', items: [{ item_id: 'sku-beans', item_name: '원두 500g', price: 18000, quantity: 1 }] });
    expect(await s.overlay()).toBeNull();
    expect(await reason(s)).toBe('no product due for repurchase (outside the cart)');
  });
});

describe("the demo shop's stand-in server for its copies (demo-*)", () => {
  const post = async (body: unknown) => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(
      new Request(`${BASE}/v1/demo/member-facts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }) as never,
      { ...env, DEMO_SHOP_SERVER: 'allow' },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return response;
  };
  const points = () => ({ id: `demo-${crypto.randomUUID()}`, name: 'points_updated', user_id: 'member-300400', props: { balance: 1500 } });

  it('sends to a demo-* site the page names, and to no other site', async () => {
    const copy = `demo-copy-${Date.now().toString(36)}`;
    await createSite({}, copy);
    const ok = await post({ site: copy, events: [points()] });
    expect(ok.status, await ok.clone().text()).toBe(202);
    expect(await rows('SELECT points_balance FROM profiles WHERE site = ? AND visitor_id = ?', copy, 'u:member-300400')).toEqual([{ points_balance: 1500 }]);

    const other = await createSite();
    const refused = await post({ site: other.id, events: [points()] });
    expect(refused.status).toBe(400);
    expect(await rows('SELECT points_balance FROM profiles WHERE site = ?', other.id)).toEqual([]);
    expect((await post({ site: 'demo-nobody-here', events: [points()] })).status).toBe(404);
  });
});
