import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../edge/index';
import { ProfileView } from '../../edge/contract';
import { BASE, createSite } from './helpers';
import { campaignsConfig, DAY, HOUR, ONBOARDING_SURVEY, plusCampaigns, rows, serverEvents, Shopper, siteWith } from './shopper';

/** One welcome_back campaign (a plain message modal) shown to whoever the audience says. */
const only = (audience: Record<string, unknown>) =>
  campaignsConfig([{ id: 'target', name: 'Target', template: 'welcome_back', trigger: { type: 'immediate' }, caps: { per_session: null, per_day: null }, audience: { stages: ['prospect', 'new', 'active', 'at_risk', 'wakeup'], consent: 'none', ...audience } }]);

async function member(site: string, id = `member-${crypto.randomUUID().slice(0, 8)}`) {
  const s = new Shopper(site);
  s.user = id;
  await s.pageView();
  return s;
}

const reasonFor = async (s: Shopper) => (await s.profile()).eligibility.find((e: any) => e.campaign === 'target');

describe('what the shop server sends, as profile facts and audiences', () => {
  it('points_updated: balance and points expiring within N days, both ends of the window included', async () => {
    const site = await siteWith(only({ points_expiring: { within_days: 14, min_amount: 1000 }, points_balance: { min: 1000 } }));
    const s = await member(site.id);
    expect(await s.overlay()).toBeNull();
    expect((await reasonFor(s)).reason).toBe('points balance is unknown');

    const in14 = new Date(s.now + 14 * DAY).toISOString().replace('Z', '+00:00');
    const sent = await serverEvents(site.id, s.now, [{ name: 'points_updated', user_id: s.user, props: { balance: 5200, expiring: [{ amount: 1200, expires_at: in14 }, { amount: 4000, expires_at: s.now + 60 * DAY }] } }]);
    expect(sent).toMatchObject({ status: 202, body: { accepted: 1, rejected: [] } });
    const profile = await s.profile();
    expect(profile.facts).toMatchObject({ points_balance: 5200, points_expiring: [{ amount: 1200, expires_at: Math.round(Date.parse(in14)) }, { amount: 4000 }] });
    expect((await s.overlay())?.campaign).toBe('target');

    // One day later the 14-day window no longer reaches the second batch, and the first is gone.
    s.advance(15 * DAY);
    expect(await s.overlay()).toBeNull();
    expect((await reasonFor(s)).reason).toMatch(/^0 points expire within 14 days/);

    // An older snapshot arriving late does not overwrite the newer one.
    await serverEvents(site.id, s.now, [{ name: 'points_updated', user_id: s.user, ts: s.now - 20 * DAY, props: { balance: 1 } }]);
    expect((await s.profile()).facts.points_balance).toBe(5200);
  });

  it('tier_updated: tier, next tier and the spend still needed, a tier that drops on a date', async () => {
    const site = await siteWith(only({ tiers: ['SILVER'], amount_to_next_tier: { min: 1, max: 50000 } }));
    const s = await member(site.id);
    await serverEvents(site.id, s.now, [{ name: 'tier_updated', user_id: s.user, props: { tier: 'SILVER', next_tier: 'GOLD', amount_to_next: 80000 } }]);
    expect(await s.overlay()).toBeNull();
    expect((await reasonFor(s)).reason).toBe('amount to next tier 80000 is above 50000');
    s.advance(HOUR);
    await serverEvents(site.id, s.now, [{ name: 'tier_updated', user_id: s.user, props: { tier: 'SILVER', next_tier: 'GOLD', amount_to_next: 50000, drops_at: s.now + 10 * DAY } }]);
    expect((await s.overlay())?.campaign).toBe('target');
    expect((await s.profile()).facts).toMatchObject({ tier: 'SILVER', next_tier: 'GOLD', amount_to_next_tier: 50000, tier_drops_at: s.now + 10 * DAY });
    s.advance(HOUR);
    await serverEvents(site.id, s.now, [{ name: 'tier_updated', user_id: s.user, props: { tier: 'GOLD' } }]);
    expect((await reasonFor(s)).reason).toBe('amount to next tier is unknown');
  });

  it('coupon_issued and coupon_redeemed: coupons expiring within N days', async () => {
    const site = await siteWith(only({ coupons_expiring: { within_days: 3 } }));
    const s = await member(site.id);
    await serverEvents(site.id, s.now, [
      { name: 'coupon_issued', user_id: s.user, props: { code: 'WELCOME10', benefit: '10% off', expires_at: s.now + 10 * DAY } },
      { name: 'coupon_issued', user_id: s.user, props: { code: 'SHIP0', benefit: 'free shipping', expires_at: s.now + 2 * DAY } },
    ]);
    expect((await s.overlay())?.campaign).toBe('target');
    expect((await s.profile()).facts.coupons.map((c: any) => c.code)).toEqual(['SHIP0', 'WELCOME10']);
    s.advance(HOUR);
    await serverEvents(site.id, s.now, [{ name: 'coupon_redeemed', user_id: s.user, props: { code: 'SHIP0' } }]);
    expect(await s.overlay()).toBeNull();
    expect((await reasonFor(s)).reason).toBe('no coupon expires within 3 days');
    s.advance(7.5 * DAY); // WELCOME10 now expires in 2.5 days
    expect((await s.overlay())?.campaign).toBe('target');
  });

  it('the profile view names every reason by code with the figures it quotes, and holds what its contract says', async () => {
    const site = await siteWith(only({ days_since_signup: { max: 30 }, tiers: ['GOLD'] }));
    const s = await member(site.id);
    const unknown = (await s.profile()).eligibility.find((e: any) => e.campaign === 'target');
    expect(unknown).toMatchObject({ eligible: false, reason: 'days since sign-up is unknown', reason_code: 'fact_unknown', reason_values: { fact: 'days_since_signup' } });
    await serverEvents(site.id, s.now, [{ name: 'sign_up', user_id: s.user, props: {} }]);
    s.advance(31.5 * DAY);
    const profile = await s.profile();
    expect(() => ProfileView.parse(profile)).not.toThrow();
    expect(profile.eligibility.find((e: any) => e.campaign === 'target')).toMatchObject({
      reason: 'days since sign-up 31.50 is above 30',
      reason_code: 'fact_above',
      reason_values: { fact: 'days_since_signup', value: '31.50', max: 30 },
    });
    const recent = await member(site.id);
    await serverEvents(site.id, recent.now, [{ name: 'sign_up', user_id: recent.user, props: {} }]);
    expect(await reasonFor(recent)).toMatchObject({ reason: 'tier (none) is not in its audience', reason_code: 'tier_not_in_audience', reason_values: { tier: '(none)' } });
  });

  it('a coupon_redeemed that arrives before its coupon_issued is kept: the coupon never shows as open', async () => {
    const site = await siteWith(only({ coupons_expiring: { within_days: 3 } }));
    const s = await member(site.id);
    const issuedAt = s.now;
    s.advance(HOUR);
    // The shop's order system reports the use before its coupon system reports the issue.
    await serverEvents(site.id, s.now, [{ name: 'coupon_redeemed', user_id: s.user, props: { code: 'SHIP0' } }]);
    expect((await s.profile()).facts.coupons).toEqual([]);
    await serverEvents(site.id, s.now, [{ name: 'coupon_issued', user_id: s.user, ts: issuedAt, props: { code: 'SHIP0', benefit: 'free shipping', expires_at: s.now + 2 * DAY } }]);
    expect((await s.profile()).facts.coupons).toEqual([]);
    expect((await reasonFor(s)).reason).toBe('no coupon expires within 3 days');
    // Issued again after that use, it is open again.
    s.advance(HOUR);
    await serverEvents(site.id, s.now, [{ name: 'coupon_issued', user_id: s.user, props: { code: 'SHIP0', benefit: 'free shipping', expires_at: s.now + 2 * DAY } }]);
    expect((await s.profile()).facts.coupons.map((c: any) => [c.code, c.benefit])).toEqual([['SHIP0', 'free shipping']]);
    expect((await s.overlay())?.campaign).toBe('target');
  });

  it('sign-up time (browser or server) drives days since sign-up; orders drive the order facts', async () => {
    const site = await siteWith(only({ days_since_signup: { max: 30 }, orders: { max: 0 } }));
    const s = await member(site.id);
    expect((await reasonFor(s)).reason).toBe('days since sign-up is unknown');
    await serverEvents(site.id, s.now, [{ name: 'sign_up', user_id: s.user, props: { method: 'email' } }]);
    expect((await s.overlay())?.campaign).toBe('target');
    s.advance(30 * DAY - HOUR);
    expect((await s.overlay())?.campaign).toBe('target');
    s.advance(2 * HOUR);
    expect((await reasonFor(s)).reason).toMatch(/^days since sign-up 30\.\d+ is above 30$/);

    await s.track('purchase', { transaction_id: `T-${s.user}-1`, value: 30000, items: [{ item_id: 'sku-1', price: 30000 }] });
    s.advance(10 * DAY);
    await s.track('purchase', { transaction_id: `T-${s.user}-2`, value: 50000, items: [{ item_id: 'sku-2', price: 50000 }] });
    s.advance(DAY);
    const { facts } = await s.profile();
    expect(facts).toMatchObject({ orders: 2, total_order_value: 80000, average_order_value: 40000 });
    expect(facts.days_since_first_order).toBeCloseTo(11, 2);
    expect(facts.days_since_last_order).toBeCloseTo(1, 2);
  });

  it('survey answers (from the survey widget) are an audience', async () => {
    const site = await siteWith(plusCampaigns(only({ survey_answers: [{ survey: 'onboarding', question: 'interest', answers: ['kitchen', 'living'] }] }), ONBOARDING_SURVEY));
    const s = await member(site.id);
    await s.track('survey_answer', { survey: 'onboarding', question: 'interest', answer: ['garden'] });
    expect(await s.overlay()).toBeNull();
    s.advance(HOUR);
    await s.track('survey_answer', { survey: 'onboarding', question: 'interest', answer: 'kitchen' });
    expect((await s.overlay())?.campaign).toBe('target');
    expect((await s.profile()).facts.survey_answers).toEqual([{ survey: 'onboarding', question: 'interest', answers: ['kitchen'] }]);
  });

  it('refuses invalid server events one by one with the collector reasons, changing nothing for them', async () => {
    const site = await siteWith(only({}));
    const s = await member(site.id);
    const sent = await serverEvents(site.id, s.now, [
      { name: 'points_updated', user_id: s.user, props: { balance: -5 } },
      { name: 'tier_updated', user_id: s.user, props: { next_tier: 'GOLD' } },
      { name: 'coupon_issued', user_id: s.user, props: { code: 'X', benefit: 'b', expires_at: 'next friday' } },
      { name: 'points_updated', anon_id: 'anon-no-member', props: { balance: 10 } },
      { name: 'coupon_issued', user_id: s.user, props: { code: 'OK1', benefit: '5% off' } },
    ]);
    expect(sent.status).toBe(202);
    expect(sent.body.accepted).toBe(1);
    expect(sent.body.rejected.map((r) => [r.index, r.reason.split(':')[0]])).toEqual([
      [0, 'props.balance'],
      [1, 'props.tier'],
      [2, 'props.expires_at'],
      [3, 'user_id'],
    ]);
    const { facts } = await s.profile();
    expect(facts).toMatchObject({ points_balance: null, tier: null });
    expect(facts.coupons.map((c: any) => c.code)).toEqual(['OK1']);

    // A browser cannot claim points for itself.
    const browser = await (
      await import('./shopper')
    ).sendAt(s.now, '/v1/collect', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ site: site.id, sent_at: s.now, events: [s.event('points_updated', { balance: 99999 })] }) });
    const answer = (await browser.json()) as { accepted: number; rejected: { reason: string }[] };
    expect(answer.accepted).toBe(0);
    expect(answer.rejected[0]!.reason).toMatch(/only from the shop's server/);
    expect(await rows('SELECT points_balance FROM profiles WHERE site = ? AND points_balance IS NOT NULL', site.id)).toEqual([]);
  });

  it('server events do not count as a visit', async () => {
    const site = await siteWith(only({}));
    const s = await member(site.id);
    const before = (await s.profile()).profile.last_seen;
    s.advance(DAY);
    await serverEvents(site.id, s.now, [{ name: 'points_updated', user_id: s.user, props: { balance: 10 } }]);
    expect((await s.profile()).profile.last_seen).toBe(before);
  });
});

describe("the demo shop's stand-in server (/v1/demo/member-facts)", () => {
  const post = async (body: unknown, vars: Record<string, string>) => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(`${BASE}/v1/demo/member-facts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }) as never, { ...env, ...vars }, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
  const points = { id: `demo-${crypto.randomUUID()}`, name: 'points_updated', user_id: 'member-100200', props: { balance: 2000 } };

  it('exists only where DEMO_SHOP_SERVER=allow, takes only the shop-fact events, for the demo site', async () => {
    await createSite({}, 'demo').catch(() => {});
    expect((await post({ events: [points] }, {})).status).toBe(404);
    expect((await post({ events: [{ ...points, name: 'purchase' }] }, { DEMO_SHOP_SERVER: 'allow' })).status).toBe(400);
    const ok = await post({ events: [points] }, { DEMO_SHOP_SERVER: 'allow' });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toMatchObject({ accepted: 1, rejected: [] });
    expect(await rows("SELECT points_balance FROM profiles WHERE site = 'demo' AND visitor_id = 'u:member-100200'")).toEqual([{ points_balance: 2000 }]);
  });
});
