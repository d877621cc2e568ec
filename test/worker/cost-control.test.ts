import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { Report, SiteSettings } from '../../edge/contract';
import { hashedIntoControl, inControlGroup } from '../../edge/decide/control-group';
import { dayString, localClock, localDayStart } from '../../edge/lib/site-time';
import { report, widgetOf } from './report-helpers';
import { campaignsConfig, HOUR, putConfig, rows, Shopper, siteWith } from './shopper';

/** Cost and return per campaign, the store-wide control group, sample ratio checks and local days
 * (issue 17), through the real worker: collect -> D1 rollups -> GET …/report. */

const recs = (extra: Record<string, unknown> = {}) =>
  campaignsConfig([{ id: 'recs', name: 'Recommendations', template: 'recommendations', offer_codes: ['VIP10'], ...extra }]);
const slots = { slots: ['recommendations'] };
const uid = () => crypto.randomUUID().replace(/-/g, '').slice(0, 12);

/** A shopper shown the recommendations shelf (with its impression) at the shopper's clock. */
async function shown(site: string, now: number): Promise<Shopper> {
  const s = new Shopper(site, now);
  const [d] = (await s.decide(slots)).inline;
  expect(d?.campaign).toBe('recs');
  await s.widgetEvent('widget_impression', d!);
  return s;
}

async function heldOut(site: string, now: number): Promise<Shopper> {
  const s = new Shopper(site, now);
  expect((await s.decide(slots)).inline).toEqual([]);
  return s;
}

const buy = (s: Shopper, transaction_id: string, props: Record<string, unknown>) => s.track('purchase', { transaction_id, currency: 'KRW', items: [], ...props });

/** An anonymous id (or member id) of this site that the control-group hash puts in (or out of) the group. */
function idWhere(site: string, prefix: 'a' | 'u', inControl: boolean, percent: number): string {
  for (;;) {
    const id = `${prefix === 'a' ? 'anon' : 'member'}-${uid()}`;
    if (hashedIntoControl(site, `${prefix}:${id}`, percent) === inControl) return id;
  }
}

describe('cost and return per campaign', () => {
  it('matches coupon codes to the campaign, costs their discounts and reads ROI off the incremental margin', async () => {
    const site = await siteWith(recs(), { gross_margin_percent: 40 });
    const now = Date.now();
    const a = await shown(site.id, now);
    const b = await shown(site.id, now);
    await a.advance(HOUR);
    // Order-level coupon (any case) with the order's discount.
    await buy(a, 'C-1', { value: 50000, coupon: 'vip10', discount: 5000 });
    await b.advance(HOUR);
    // Item-level coupon: its discount × quantity; an item without a coupon (and no order coupon) costs nothing.
    await buy(b, 'C-2', {
      value: 20000,
      items: [
        { item_id: 'mug', price: 9000, quantity: 2, coupon: 'VIP10', discount: 1000 },
        { item_id: 'cup', price: 2000, quantity: 1, discount: 500 },
      ],
    });
    await buy(b, 'C-3', { value: 1000, coupon: 'OTHER', discount: 999 });

    expect((await putConfig(site.id, recs({ holdout_percent: 100 }))).status).toBe(200);
    const c = await heldOut(site.id, now);
    await heldOut(site.id, now);
    await c.advance(HOUR);
    await buy(c, 'C-4', { value: 10000 });

    const r = Report.parse(await report(site.id, '', now + 2 * HOUR));
    expect(r.currency).toBe('KRW');
    expect(r.gross_margin_percent).toBe(40);
    const w = widgetOf(r, 'recs');
    expect(w.shown).toMatchObject({ visitors: 2, conversions: 2, revenue: 71000 });
    expect(w.holdout).toMatchObject({ visitors: 2, conversions: 1, revenue: 10000 });
    expect(w.redemptions).toBe(2);
    expect(w.benefit_cost).toBe(7000);
    expect(r.redemptions).toEqual([
      { code: 'other', campaign: null, orders: 1, discount: 999 },
      { code: 'vip10', campaign: 'recs', orders: 2, discount: 7000 },
    ]);
    // Revenue per shown visitor 35 500 (50 000 and 21 000), per held-out one 5 000 (10 000 and 0):
    // (35 500 − 5 000) × 2 shown visitors = 61 000. Sample variances 420 500 000 and 50 000 000:
    // se = sqrt(420.5e6 / 2 + 50e6 / 2) = 15 337.9; ± 1.959964 × se = ± 30 061.7 per visitor.
    expect(w.incremental_revenue).toBe(61000);
    expect(w.incremental_revenue_ci95![0]).toBeCloseTo((30500 - 30061.72) * 2, 0);
    expect(w.incremental_revenue_ci95![1]).toBeCloseTo((30500 + 30061.72) * 2, 0);
    expect(w.incremental_conversions).toBe(1);
    expect(w.incremental_margin).toBe(24400);
    // (24 400 − 7 000) / 7 000
    expect(w.roi).toBeCloseTo(2.4857, 4);
  });

  it('shows a sign-up offer its cost and incremental sign-ups, but no return in money (its goal is not a purchase)', async () => {
    const signup = (holdout_percent: number) =>
      campaignsConfig([{ id: 'join', name: 'Join', template: 'signup_benefit', trigger: { type: 'immediate' }, offer_codes: ['JOIN10'], holdout_percent }]);
    const site = await siteWith(signup(0));
    const now = Date.now();
    const a = new Shopper(site.id, now);
    const d = (await a.decide()).overlay!;
    expect(d.campaign).toBe('join');
    await a.widgetEvent('widget_impression', d);
    await a.advance(HOUR).track('sign_up', { method: 'email' });
    await buy(a, 'J-1', { value: 30000, coupon: 'JOIN10', discount: 3000 });
    expect((await putConfig(site.id, signup(100))).status).toBe(200);
    expect((await new Shopper(site.id, now).decide()).overlay).toBeNull();
    const w = widgetOf(await report(site.id, '', now + 2 * HOUR), 'join');
    expect(w).toMatchObject({ redemptions: 1, benefit_cost: 3000, incremental_conversions: 1, incremental_revenue: null, incremental_margin: null, roi: null });
  });

  it('a refund of the whole order, or parts that come to it, takes its coupon out of the cost; a partial refund leaves it', async () => {
    const site = await siteWith(recs());
    const now = Date.now();
    const a = await shown(site.id, now);
    await a.advance(HOUR);
    await buy(a, 'W-1', { value: 50000, coupon: 'VIP10', discount: 5000 });
    await buy(a, 'W-2', { value: 30000, coupon: 'VIP10', discount: 3000 });
    const cost = async () => {
      const r = Report.parse(await report(site.id, '', now + 3 * HOUR));
      return { redemptions: widgetOf(r, 'recs').redemptions, benefit_cost: widgetOf(r, 'recs').benefit_cost, codes: r.redemptions };
    };
    expect(await cost()).toEqual({ redemptions: 2, benefit_cost: 8000, codes: [{ code: 'vip10', campaign: 'recs', orders: 2, discount: 8000 }] });
    await a.advance(60_000).track('refund', { transaction_id: 'W-2', value: 10000, currency: 'KRW' }); // part of it: the coupon was used
    expect((await cost()).benefit_cost).toBe(8000);
    await a.advance(60_000).track('refund', { transaction_id: 'W-1' }); // the whole order: no benefit given
    expect(await cost()).toEqual({ redemptions: 1, benefit_cost: 3000, codes: [{ code: 'vip10', campaign: 'recs', orders: 1, discount: 3000 }] });
    await a.advance(60_000).track('refund', { transaction_id: 'W-2', value: 19999, currency: 'KRW' }); // 1 won of it stands
    expect((await cost()).benefit_cost).toBe(3000);
    await a.advance(60_000).track('refund', { transaction_id: 'W-2', value: 1, currency: 'KRW' }); // parts that come to the whole order
    expect(await cost()).toEqual({ redemptions: 0, benefit_cost: 0, codes: [] });
    // Bought and refunded in parts within one batch: no cost either, and nothing of it in the shopper's revenue.
    const before = (await a.profile()).profile.revenue;
    await a.advance(60_000).send(
      a.event('purchase', { transaction_id: 'W-3', currency: 'KRW', items: [], value: 20000, coupon: 'VIP10', discount: 2000 }),
      a.event('refund', { transaction_id: 'W-3', value: 15000, currency: 'KRW' }),
      a.event('refund', { transaction_id: 'W-3', value: 5000, currency: 'KRW' }),
    );
    expect(await cost()).toEqual({ redemptions: 0, benefit_cost: 0, codes: [] });
    expect((await a.profile()).profile.revenue).toBe(before);
  });

  it('has no ROI without a cost', async () => {
    const site = await siteWith(recs());
    const now = Date.now();
    const a = await shown(site.id, now);
    await a.advance(HOUR);
    await buy(a, 'N-1', { value: 1000 });
    const w = widgetOf(await report(site.id, '', now + 2 * HOUR), 'recs');
    expect(w.benefit_cost).toBe(0);
    expect(w.roi).toBeNull();
    expect(w.incremental_revenue).toBeNull(); // no holdout visitors
  });
});

describe('partial refunds', () => {
  it('take back their own value (or their items), a whole-order refund the rest, never below zero', async () => {
    const site = await siteWith(recs());
    const now = Date.now();
    const a = await shown(site.id, now);
    await a.advance(HOUR);
    await buy(a, 'P-1', { value: 100000 });
    const revenue = async () => widgetOf(await report(site.id, '', now + 3 * HOUR), 'recs').shown.revenue;
    const squares = async () => (await rows<{ sq: number }>('SELECT total(revenue_sq) AS sq FROM report_daily WHERE site = ?', site.id))[0]!.sq;
    expect(await revenue()).toBe(100000);
    expect(await squares()).toBe(100000 ** 2);

    await a.track('refund', { transaction_id: 'P-1', value: 30000, currency: 'KRW' });
    expect(await revenue()).toBe(70000);
    expect(await squares()).toBe(70000 ** 2);
    await a.track('refund', { transaction_id: 'P-1', currency: 'KRW', items: [{ item_id: 'mug', price: 10000, quantity: 2 }] });
    expect(await revenue()).toBe(50000);
    await a.track('refund', { transaction_id: 'P-1' }); // the whole order: what is left
    expect(await revenue()).toBe(0);
    expect(await squares()).toBe(0);
    await a.track('refund', { transaction_id: 'P-1', value: 5000 });
    expect(await revenue()).toBe(0);
    const [credit] = await rows<{ refunded: number; refunded_at: number | null }>('SELECT refunded, refunded_at FROM report_credits WHERE site = ?', site.id);
    expect(credit!.refunded).toBe(100000);
    expect(credit!.refunded_at).not.toBeNull();
  });
});

describe('store-wide control group', () => {
  it('shows a control shopper nothing, on every device once they log in, and records the assignment', async () => {
    const site = await siteWith(recs(), { control_group_percent: 50 });
    const settings = SiteSettings.parse({ id: site.id, control_group_percent: 50 });
    const now = Date.now();
    // Someone outside the group sees the shelf.
    const other = new Shopper(site.id, now);
    other.anon = idWhere(site.id, 'a', false, 50);
    expect((await other.decide(slots)).inline).toHaveLength(1);

    const a = new Shopper(site.id, now);
    a.anon = idWhere(site.id, 'a', true, 50);
    expect(await a.decide(slots)).toEqual({ overlay: null, inline: [] });
    expect(await rows('SELECT in_control FROM control_group WHERE site = ? AND visitor_id = ?', site.id, `a:${a.anon}`)).toEqual([{ in_control: 1 }]);
    expect(await rows('SELECT count(*) AS n FROM decisions WHERE site = ? AND visitor_id = ?', site.id, `a:${a.anon}`)).toEqual([{ n: 0 }]);

    // Logs in as a member whose own id the hash would leave out: the group holds.
    const member = idWhere(site.id, 'u', false, 50);
    await a.advance(60_000).identify(member);
    expect((await a.decide(slots)).inline).toEqual([]);
    expect(await rows('SELECT in_control FROM control_group WHERE site = ? AND visitor_id = ?', site.id, `u:${member}`)).toEqual([{ in_control: 1 }]);

    // A second device, outside the group while anonymous, joins it on login.
    const b = a.onAnotherDevice();
    b.anon = idWhere(site.id, 'a', false, 50);
    expect((await b.decide(slots)).inline).toHaveLength(1);
    await b.advance(60_000).identify(member);
    expect((await b.decide(slots)).inline).toEqual([]);

    // The admin's profile view says so, and why no campaign is eligible.
    const view = await a.profile();
    expect(view.control_group).toBe(true);
    expect(view.eligibility.every((e: { eligible: boolean; reason: string }) => !e.eligible && e.reason === 'in the store-wide control group')).toBe(true);

    // Hand-offs ask the same module.
    expect(await inControlGroup(env.DB, settings, { user_id: member })).toBe(true);
    expect(await inControlGroup(env.DB, settings, { anon_id: b.anon })).toBe(true);
    expect(await inControlGroup(env.DB, settings, { anon_id: other.anon })).toBe(false);
    expect(await inControlGroup(env.DB, { ...settings, control_group_percent: 0 }, { user_id: member })).toBe(false);
  });

  it('reports revenue per shopper, conversion and repeat-purchase rates for control against everyone else', async () => {
    const site = await siteWith(recs(), { control_group_percent: 50 });
    const now = Date.now();
    const shopper = async (inControl: boolean) => {
      const s = new Shopper(site.id, now);
      s.anon = idWhere(site.id, 'a', inControl, 50);
      await s.decide(slots);
      return s.advance(HOUR);
    };
    const [c1, , o1, o2] = [await shopper(true), await shopper(true), await shopper(false), await shopper(false), await shopper(false)];
    await buy(c1!, 'G-1', { value: 10000 });
    await buy(c1!, 'G-2', { value: 10000 });
    await buy(c1!, 'G-2', { value: 10000 }); // the same order again: once
    await buy(o1!, 'G-3', { value: 30000 });
    await buy(o2!, 'G-4', { value: 20000 });

    const g = Report.parse(await report(site.id, '', now + 2 * HOUR)).control_group;
    expect(g.control_group_percent).toBe(50);
    expect(g.control).toMatchObject({ shoppers: 2, buyers: 1, repeat_buyers: 1, revenue: 20000, revenue_per_shopper: 10000, conversion_rate: 0.5, repeat_purchase_rate: 1 });
    expect(g.others).toMatchObject({ shoppers: 3, buyers: 2, repeat_buyers: 0, revenue: 50000, revenue_per_shopper: 16666.67, repeat_purchase_rate: 0 });
    expect(g.others.conversion_rate).toBeCloseTo(2 / 3, 10);
    // Wilson for 1 of 2: 0.0945–0.9055.
    expect(g.control.conversion_rate_ci95![0]).toBeCloseTo(0.0945, 4);
    expect(g.control.conversion_rate_ci95![1]).toBeCloseTo(0.9055, 4);
    // 16 666.67 − 10 000; variances 233 333 333 (others) and 200 000 000 (control):
    // se = sqrt(233.33e6 / 3 + 200e6 / 2) = 13 333.33, × 1.959964 = 26 132.9.
    expect(g.difference.revenue_per_shopper).toBe(6666.67);
    expect(g.difference.revenue_per_shopper_ci95![0]).toBeCloseTo(6666.67 - 26132.85, 0);
    expect(g.difference.revenue_per_shopper_ci95![1]).toBeCloseTo(6666.67 + 26132.85, 0);
    expect(g.difference.conversion_rate).toBeCloseTo(2 / 3 - 0.5, 10);
    expect(g.difference.conversion_rate_ci95).not.toBeNull();
    expect(g.difference.repeat_purchase_rate).toBe(-1);
  });

  it("takes refunds back from the control group's revenue, as from campaigns'", async () => {
    const site = await siteWith(recs(), { control_group_percent: 50 });
    const now = Date.now();
    const c = new Shopper(site.id, now);
    c.anon = idWhere(site.id, 'a', true, 50);
    await c.decide(slots);
    const o = new Shopper(site.id, now);
    o.anon = idWhere(site.id, 'a', false, 50);
    await o.decide(slots);
    await buy(c.advance(HOUR), 'R-1', { value: 30000 });
    await buy(o.advance(HOUR), 'R-2', { value: 20000 });
    const group = async () => Report.parse(await report(site.id, '', now + 3 * HOUR)).control_group;
    expect((await group()).control).toMatchObject({ buyers: 1, revenue: 30000 });

    await c.advance(60_000).track('refund', { transaction_id: 'R-1', value: 10000, currency: 'KRW' });
    expect((await group()).control).toMatchObject({ buyers: 1, revenue: 20000, revenue_per_shopper: 20000 });
    await c.advance(60_000).track('refund', { transaction_id: 'R-1' }); // the rest of the order
    const after = await group();
    // The shopper did buy (a buyer still), and nothing of it stays as revenue.
    expect(after.control).toMatchObject({ buyers: 1, revenue: 0, revenue_per_shopper: 0 });
    expect(after.others).toMatchObject({ revenue: 20000 });
    await c.advance(60_000).track('refund', { transaction_id: 'R-1', value: 5000 }); // nothing left to take back
    expect((await group()).control.revenue).toBe(0);
    expect(await rows('SELECT visitor_id, value, refunded FROM control_credits WHERE site = ?', site.id)).toEqual([
      { visitor_id: `a:${c.anon}`, value: 30000, refunded: 30000 },
      { visitor_id: `a:${o.anon}`, value: 20000, refunded: 0 },
    ]);
  });

  it('is off on sites that set 0%, and new sites default to 5%', async () => {
    const site = await siteWith(recs());
    const a = new Shopper(site.id);
    a.anon = idWhere(site.id, 'a', true, 50);
    expect((await a.decide(slots)).inline).toHaveLength(1);
    expect(SiteSettings.parse({ id: 'x' })).toMatchObject({ control_group_percent: 5, gross_margin_percent: 30, currency: 'KRW' });
  });
});

describe('sample ratio checks', () => {
  it('flags a campaign whose holdout share is far from its holdout_percent', async () => {
    const site = await siteWith(recs());
    const now = Date.now();
    for (let i = 0; i < 20; i++) await shown(site.id, now);
    let srm = Report.parse(await report(site.id, '', now + HOUR)).srm;
    expect(srm.checks).toEqual([{ campaign: 'recs', expected_holdout_share: 0, observed_holdout_share: 0, p_value: null, mismatch: false }]);
    // The same 20 visitors read against a 50% holdout: chi-square 20, p ≈ 7.7e-6.
    expect((await putConfig(site.id, recs({ holdout_percent: 50 }))).status).toBe(200);
    srm = Report.parse(await report(site.id, '', now + HOUR)).srm;
    expect(srm.p_threshold).toBe(0.001);
    expect(srm.checks[0]).toMatchObject({ campaign: 'recs', expected_holdout_share: 0.5, observed_holdout_share: 0, mismatch: true });
    expect(srm.checks[0]!.p_value!).toBeLessThan(1e-5);
    expect(srm.mismatches).toEqual(['recs']);
  });
});

describe("days in the shop's time zone", () => {
  it('puts 00:30 and 23:30 Seoul time on the same Seoul day, in the series, the period and the costs', async () => {
    const site = await siteWith(recs());
    const day = localClock(Date.now(), 'Asia/Seoul').day - 2;
    const midnight = localDayStart(day, 'Asia/Seoul');
    const early = midnight + 30 * 60_000; // 00:30 in Seoul: 15:30 UTC the day before
    const late = midnight + 23.5 * HOUR; // 23:30 in Seoul
    const a = await shown(site.id, early);
    await buy(a.advance(60_000), 'T-1', { value: 1000 });
    const b = await shown(site.id, late);
    await buy(b.advance(60_000), 'T-2', { value: 2000, coupon: 'VIP10', discount: 100 });
    const c = await shown(site.id, late + HOUR); // 00:30 the next Seoul day
    await buy(c.advance(60_000), 'T-3', { value: 4000, coupon: 'VIP10', discount: 400 });

    const date = dayString(day);
    const r = Report.parse(await report(site.id, `from=${date}&to=${date}`, late + 2 * HOUR));
    expect([r.from, r.to, r.timezone]).toEqual([date, date, 'Asia/Seoul']);
    const w = widgetOf(r, 'recs');
    expect(w.daily).toEqual([expect.objectContaining({ date, shown_visitors: 2, impressions: 2, conversions_shown: 2, revenue_shown: 3000 })]);
    expect(w.benefit_cost).toBe(100);
    // The default period ends on the Seoul day of now, which is a UTC day ahead at 00:30.
    expect((await report(site.id, '', early)).to).toBe(date);
    const next = Report.parse(await report(site.id, `from=${dayString(day + 1)}&to=${dayString(day + 1)}`, late + 2 * HOUR));
    expect(widgetOf(next, 'recs').shown).toMatchObject({ visitors: 1, impressions: 1, revenue: 4000 });
    expect(widgetOf(next, 'recs').benefit_cost).toBe(400);
  });
});
