import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createSite, OPERATOR_TOKEN, send } from './helpers';
import { report } from './report-helpers';
import { campaignsConfig, DAY, HOUR, putConfig, rows, Shopper, siteWith } from './shopper';

type ErrorBody = { error: { code: string; issues: { path: string; message: string }[] } };
const getConfig = async (site: string) => (await (await send(`/v1/admin/sites/${site}/config`, { headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` } })).json()) as { version: number; config: any };

/** Two signup offers for two traffic sources: same template, different audience and copy. */
const signupFor = (id: string, source: string, title: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Signup for ${source}`,
  template: 'signup_benefit',
  trigger: { type: 'immediate' },
  audience: { utm: { source: [source] } },
  variants: [{ id: 'v1', copy: { ko: { title }, en: { title } } }],
  ...extra,
});

describe('campaigns', () => {
  it('runs two campaigns of one template for two UTM sources, each decision naming its campaign and template', async () => {
    const site = await siteWith(campaignsConfig([signupFor('signup-naver', 'naver', 'Naver offer'), signupFor('signup-insta', 'instagram', 'Instagram offer')]));
    const fromNaver = await new Shopper(site.id).overlay({ url: 'https://shop.example/?utm_source=naver' });
    expect(fromNaver).toMatchObject({ campaign: 'signup-naver', template: 'signup_benefit', widget: 'signup_benefit' });
    expect(fromNaver!.props.copy.en.title).toBe('Naver offer');
    const fromInsta = await new Shopper(site.id).overlay({ url: 'https://shop.example/?utm_source=instagram' });
    expect(fromInsta).toMatchObject({ campaign: 'signup-insta', template: 'signup_benefit' });
    expect(fromInsta!.props.copy.en.title).toBe('Instagram offer');
    expect(await new Shopper(site.id).overlay({ url: 'https://shop.example/?utm_source=google' })).toBeNull();
    const recorded = await rows<{ campaign: string; widget: string }>('SELECT campaign, widget FROM decisions WHERE site = ? ORDER BY campaign', site.id);
    expect(recorded).toEqual([
      { campaign: 'signup-insta', widget: 'signup_benefit' },
      { campaign: 'signup-naver', widget: 'signup_benefit' },
    ]);
  });

  it('caps, cooldowns and conversions count per campaign: capping one leaves the other of the same template free', async () => {
    const site = await siteWith(
      campaignsConfig([
        { id: 'first', name: 'First', template: 'signup_benefit', priority: 90, trigger: { type: 'immediate' }, caps: { per_session: null, per_day: null, lifetime: 1 } },
        { id: 'second', name: 'Second', template: 'signup_benefit', priority: 10, trigger: { type: 'immediate' }, caps: { per_session: null, per_day: null, lifetime: 1 } },
      ]),
    );
    const s = new Shopper(site.id);
    const first = await s.overlay();
    expect(first?.campaign).toBe('first');
    await s.widgetEvent('widget_impression', first!);
    s.advance(HOUR);
    const second = await s.overlay();
    expect(second?.campaign).toBe('second');
    await s.widgetEvent('widget_dismiss', second!);
    s.advance(HOUR);
    // "second" is in its dismissal cooldown, "first" at its lifetime cap: nothing left.
    expect(await s.overlay()).toBeNull();
    const profile = await s.profile();
    expect(profile.campaigns.first).toMatchObject({ template: 'signup_benefit', decisions: 1, impressions: 1, exposures: 1 });
    expect(profile.campaigns.second).toMatchObject({ template: 'signup_benefit', decisions: 1, dismissals: 1 });
    expect(profile.eligibility.find((e: any) => e.campaign === 'first')).toMatchObject({ eligible: false, reason: 'lifetime cap reached' });
    expect(profile.eligibility.find((e: any) => e.campaign === 'second')).toMatchObject({ eligible: false, reason: 'dismissed recently' });
  });

  it('holds out per campaign: a fully held-out campaign records holdouts while its sibling is shown', async () => {
    const site = await siteWith(
      campaignsConfig([
        { id: 'held', name: 'Held', template: 'welcome_back', priority: 90, trigger: { type: 'immediate' }, holdout_percent: 100, audience: { stages: ['prospect'], consent: 'none' }, caps: { per_session: null, per_day: null } },
        { id: 'shown', name: 'Shown', template: 'welcome_back', priority: 10, trigger: { type: 'immediate' }, audience: { stages: ['prospect'], consent: 'none' }, caps: { per_session: null, per_day: null } },
      ]),
    );
    const s = new Shopper(site.id);
    // The held-out campaign wins, is recorded and nothing is shown.
    expect(await s.overlay()).toBeNull();
    expect(await rows('SELECT campaign, holdout FROM decisions WHERE site = ?', site.id)).toEqual([{ campaign: 'held', holdout: 1 }]);
    // Another site with only the sibling (same template, no holdout) shows it to the same shopper id.
    await putConfig(site.id, campaignsConfig([{ id: 'shown', name: 'Shown', template: 'welcome_back', trigger: { type: 'immediate' }, audience: { stages: ['prospect'], consent: 'none' } }]));
    expect((await s.overlay())?.campaign).toBe('shown');
    const r = await report(site.id, '', s.now + HOUR);
    expect(r.campaigns.map((c) => [c.campaign, c.name, c.template, c.holdout.visitors, c.shown.visitors])).toEqual([
      ['shown', 'Shown', 'welcome_back', 0, 1],
      ['held', null, 'welcome_back', 1, 0],
    ]);
  });

  it('takes a stored config of the old one-entry-per-widget shape, losing nothing', async () => {
    const site = await createSite();
    const old = {
      theme: { primary: '#aa0000' },
      overlays: { min_gap_minutes: 0 },
      widgets: {
        signup_benefit: { holdout_percent: 0, trigger: { type: 'immediate' }, variants: [{ id: 'spring', copy: { ko: { title: '봄맞이 가입 혜택' }, en: { title: 'Spring sign-up' } } }], settings: { benefit: { kind: 'points', amount: '3000' } } },
        cart_reminder: { enabled: false },
        marketing_consent: { enabled: false },
      },
    };
    await env.KV.put(`config:${site.id}`, JSON.stringify({ info: { version: 4, updated_at: 1, role: 'site', actor: 'mina', note: null }, config: old }));
    const view = await getConfig(site.id);
    expect(view.version).toBe(4);
    expect(view.config.widgets).toBeUndefined();
    expect(view.config.theme.primary).toBe('#aa0000');
    expect(view.config.campaigns.map((c: any) => c.id)).toEqual(['signup_benefit', 'cart_reminder', 'recommendations', 'review_prompt', 'marketing_consent', 'interested_product', 'welcome_back']);
    const signup = view.config.campaigns[0];
    expect(signup).toMatchObject({ template: 'signup_benefit', enabled: true, holdout_percent: 0, trigger: { type: 'immediate' }, settings: { benefit: { kind: 'points', amount: '3000' } } });
    expect(signup.variants[0]).toMatchObject({ id: 'spring', copy: { ko: { title: '봄맞이 가입 혜택' } } });
    expect(view.config.campaigns[1].enabled).toBe(false);

    const decided = await new Shopper(site.id).overlay();
    expect(decided).toMatchObject({ campaign: 'signup_benefit', template: 'signup_benefit', variant: 'spring' });
    // Saving it back stores today's shape.
    expect((await putConfig(site.id, view.config)).status).toBe(200);
    const stored = JSON.parse((await env.KV.get(`config:${site.id}`))!);
    expect(stored.config.widgets).toBeUndefined();
    expect(stored.config.campaigns).toHaveLength(7);
  });

  it('refuses a config over the limits whole, naming every error by path, and keeps the current one', async () => {
    const site = await siteWith(campaignsConfig([{ id: 'keep', name: 'Keep me', template: 'welcome_back' }]));
    const bad = await putConfig(site.id, {
      campaigns: [
        { id: 'a', name: 'A', template: 'no_such_template' },
        { id: 'a', name: 'A again', template: 'cart_reminder', audience: { orders: { min: 5, max: 2 }, churn_risk: { min: 0.9, max: 0.2 } } },
        { id: 'Bad Id', name: '', template: 'review_prompt', audience: { points_expiring: { within_days: -1 } } },
      ],
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as ErrorBody;
    expect(body.error.code).toBe('invalid_config');
    const paths = body.error.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'campaigns[0].template',
        'campaigns[1].id',
        'campaigns[1].audience.orders.min',
        'campaigns[1].audience.churn_risk.min',
        'campaigns[2].id',
        'campaigns[2].name',
        'campaigns[2].audience.points_expiring.within_days',
      ]),
    );
    expect(body.error.issues.find((i) => i.path === 'campaigns[0].template')!.message).toMatch(/signup_benefit/);
    expect(body.error.issues.find((i) => i.path === 'campaigns[1].id')!.message).toMatch(/another campaign/);

    const tooMany = await putConfig(site.id, { campaigns: Array.from({ length: 101 }, (_, i) => ({ id: `c${i}`, name: `C${i}`, template: 'welcome_back' })) });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as ErrorBody).error.issues.map((i) => i.path)).toEqual(['campaigns']);

    const mixed = await putConfig(site.id, { campaigns: [], widgets: { signup_benefit: {} } });
    expect(((await mixed.json()) as ErrorBody).error.issues.map((i) => i.path)).toEqual(['widgets.signup_benefit']);

    const view = await getConfig(site.id);
    expect(view.version).toBe(1);
    expect(view.config.campaigns.map((c: any) => c.id)).toEqual(['keep']);
  });

  it('credits a conversion to each campaign of the template the shopper saw, in the report and the leads export', async () => {
    const site = await siteWith(campaignsConfig([signupFor('signup-naver', 'naver', 'Naver offer')]));
    const s = new Shopper(site.id);
    const d = await s.overlay({ url: 'https://shop.example/?utm_source=naver' });
    await s.widgetEvent('widget_impression', d!);
    await s.track('lead_submit', { decision_id: d!.decision_id, widget: 'signup_benefit', email: 'mina@example.com', marketing_consent: true });
    const r = await report(site.id, '', s.now + HOUR);
    expect(r.campaigns).toHaveLength(1);
    expect(r.campaigns[0]).toMatchObject({ campaign: 'signup-naver', name: 'Signup for naver', template: 'signup_benefit', shown: { visitors: 1, impressions: 1, conversions: 1 } });
    const csv = await (await send(`/v1/admin/sites/${site.id}/leads.csv`, { headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` } })).text();
    expect(csv.split('\r\n')[0]).toContain('campaign,widget');
    expect(csv).toContain('signup-naver,signup_benefit');
  });

  it('a new site runs the ready journey: a one-order customer is decided for the second-purchase campaign', async () => {
    const site = await createSite();
    const s = new Shopper(site.id, Date.now() - 5 * DAY);
    await s.track('purchase', { transaction_id: `T-${s.anon}`, value: 20000, items: [{ item_id: 'sku-1', price: 20000 }] });
    // Two days after the order: too soon for it (3–45 days); the consent benefit is the best fit.
    s.advance(2 * DAY);
    await s.decide();
    s.advance(2 * DAY).newSession();
    await s.decide();
    // Recorded whether this shopper landed in a holdout group or not.
    expect(await rows('SELECT campaign, widget FROM decisions WHERE site = ? ORDER BY ts', site.id)).toEqual([
      { campaign: 'marketing_consent', widget: 'marketing_consent' },
      { campaign: 'second_purchase', widget: 'second_purchase' },
    ]);
  });
});
