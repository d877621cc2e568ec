import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { createSite, OPERATOR_TOKEN, send } from './helpers';
import { putConfig, quietConfig, sendAt, Shopper, siteWith } from './shopper';

type ConfigView = { version: number; updated_at: number | null; role: string; actor: string | null; note: string | null; config: any };
type ErrorBody = { error: { code: string; message: string; issues?: { path: string; message: string }[] } };

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const getConfig = async (site: string, token = OPERATOR_TOKEN) => (await send(`/v1/admin/sites/${site}/config`, { headers: auth(token) })).json() as Promise<ConfigView>;
const history = async (site: string) =>
  (await send(`/v1/admin/sites/${site}/config/history`, { headers: auth(OPERATOR_TOKEN) })).json() as Promise<{ current: number; versions: Omit<ConfigView, 'config'>[] }>;
const rollback = (site: string, body: unknown, token = OPERATOR_TOKEN) =>
  send(`/v1/admin/sites/${site}/config/rollback`, { method: 'POST', headers: { ...auth(token), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('marketing config API', () => {
  it('serves working Korean and English defaults before anything is saved', async () => {
    const site = await createSite();
    const view = await getConfig(site.id);
    expect(view).toMatchObject({ version: 0, role: 'default', updated_at: null });
    expect(view.config.theme).toMatchObject({ primary: expect.stringMatching(/^#/), radius: 12 });
    expect(view.config.stages).toEqual({ repurchase_window_days: 60, at_risk_days: 60, dormant_days: 180, at_risk_model: 'window', churn_risk_threshold: 0.8 });
    expect(view.config.attribution).toEqual({ click_days: 5, impression_days: 1 });
    expect(view.config.overlays).toEqual({ max_per_page: 1, min_gap_minutes: 30 });
    // A ready journey: every template once under its own name, plus the journey map's other touch points.
    const campaigns = view.config.campaigns as any[];
    expect(campaigns.map((c) => c.id)).toEqual(expect.arrayContaining(['signup_benefit', 'cart_reminder', 'recommendations', 'review_prompt', 'marketing_consent', 'interested_product', 'welcome_back', 'second_purchase', 'churn_winback', 'points_expiring', 'tier_upgrade']));
    for (const c of campaigns) {
      expect(c.name.length, c.id).toBeGreaterThan(3);
      if (c.template === 'recommendations') continue; // its titles follow the strategy: the widget's own copy
      expect(c.variants[0].copy.ko.title.length, c.id).toBeGreaterThan(3);
      expect(c.variants[0].copy.en.title.length, c.id).toBeGreaterThan(3);
    }
    const byId = (id: string) => campaigns.find((c) => c.id === id);
    // What needs the shop's own data is off until it arrives; the rest is on.
    for (const id of ['points_expiring', 'tier_upgrade', 'coupon_expiring', 'replenishment']) expect(byId(id).enabled, id).toBe(false);
    for (const id of ['signup_benefit', 'cart_reminder', 'second_purchase', 'churn_winback']) expect(byId(id).enabled, id).toBe(true);
    expect(byId('signup_benefit').audience).toMatchObject({ stages: ['prospect'], membership: 'guest' });
    expect(byId('cart_reminder').audience.consent).toBe('marketing');
    expect(byId('points_expiring').audience.points_expiring).toEqual({ within_days: 14, min_amount: 1 });
  });

  it('replaces the config, filling omitted fields with defaults, and says who saved it', async () => {
    const site = await createSite();
    const before = Date.now();
    const response = await putConfig(site.id, { overlays: { min_gap_minutes: 5 }, widgets: { cart_reminder: { enabled: false, priority: 5 } } }, site.token, { 'X-Touchpoint-Actor': 'mina@shop.example' });
    expect(response.status).toBe(200);
    const saved = (await response.json()) as ConfigView;
    expect(saved).toMatchObject({ version: 1, role: 'site', actor: 'mina@shop.example', note: null });
    expect(saved.updated_at).toBeGreaterThanOrEqual(before);
    const view = await getConfig(site.id, site.token);
    expect(view.version).toBe(1);
    expect(view.config.overlays).toEqual({ max_per_page: 1, min_gap_minutes: 5 });
    // The older one-entry-per-widget shape is taken and stored as campaigns named after the widgets.
    const cart = view.config.campaigns.find((c: any) => c.id === 'cart_reminder');
    expect(cart).toMatchObject({ template: 'cart_reminder', enabled: false, priority: 5, placement: 'overlay' });
    expect(cart.caps.per_session).toBe(1);
    expect(view.config.campaigns).toHaveLength(7);
    expect(view.config.widgets).toBeUndefined();
  });

  it('refuses an invalid config with the path and reason of every error, keeping the old one', async () => {
    const site = await createSite();
    await putConfig(site.id, { overlays: { min_gap_minutes: 5 } });
    const response = await putConfig(site.id, {
      overlays: { max_per_page: 2 },
      stages: { at_risk_days: 90, dormant_days: 30 },
      theme: { primary: 'red; background: url(x)' },
      widgets: {
        signup_benefit: { enabeld: false, holdout_percent: 120, caps: { per_day: 0 }, trigger: { type: 'scroll_depth', percent: 150 } },
        cart_reminder: { variants: [{ id: 'a', copy: { ko: { title: 'x'.repeat(1001) }, ja: {} } }], audience: { stages: ['lost'] }, settings: { cart_url: 'javascript:alert(1)' } },
        welcome_back: { schedule: { start: '2026-12-31T00:00:00+09:00', end: '2026-12-01T00:00:00+09:00' }, settings: { cta_url: '/\\evil.example' } },
      },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe('invalid_config');
    expect(body.error.message).toMatch(/not saved/);
    const paths = body.error.issues!.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'overlays.max_per_page',
        'stages.dormant_days',
        'theme.primary',
        'campaigns[0].enabeld',
        'campaigns[0].holdout_percent',
        'campaigns[0].caps.per_day',
        'campaigns[0].trigger.percent',
        'campaigns[1].variants[0].copy.ko.title',
        'campaigns[1].variants[0].copy.ja',
        'campaigns[1].audience.stages[0]',
        'campaigns[1].settings.cart_url',
        'campaigns[6].schedule.end',
        'campaigns[6].settings.cta_url',
      ]),
    );
    for (const issue of body.error.issues!) expect(issue.message.length).toBeGreaterThan(3);
    const view = await getConfig(site.id);
    expect(view).toMatchObject({ version: 1, config: { overlays: { min_gap_minutes: 5 } } });
  });

  it('refuses a body that is not JSON', async () => {
    const site = await createSite();
    const response = await send(`/v1/admin/sites/${site.id}/config`, { method: 'PUT', headers: auth(OPERATOR_TOKEN), body: '{"widgets": ' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.code).toBe('invalid_json');
  });

  it('opens only to the operator or the site token', async () => {
    const site = await createSite();
    const other = await createSite();
    for (const path of ['config', 'config/history']) {
      expect((await send(`/v1/admin/sites/${site.id}/${path}`)).status).toBe(401);
      expect((await send(`/v1/admin/sites/${site.id}/${path}`, { headers: auth(other.token) })).status).toBe(401);
      expect((await send(`/v1/admin/sites/${site.id}/${path}`, { headers: auth(site.token) })).status).toBe(200);
    }
    expect((await putConfig(site.id, {}, other.token)).status).toBe(401);
    expect((await rollback(site.id, { version: 1 }, other.token)).status).toBe(401);
    expect((await send('/v1/admin/sites/no-such-site/config', { headers: auth(OPERATOR_TOKEN) })).status).toBe(404);
  });

  it('lists versions with who and when, newest first', async () => {
    const site = await createSite();
    await putConfig(site.id, { overlays: { min_gap_minutes: 5 } }, OPERATOR_TOKEN, { 'X-Touchpoint-Actor': 'ops' });
    await putConfig(site.id, { overlays: { min_gap_minutes: 10 } }, site.token);
    const { current, versions } = await history(site.id);
    expect(current).toBe(2);
    expect(versions.map((v) => [v.version, v.role, v.actor])).toEqual([
      [2, 'site', null],
      [1, 'operator', 'ops'],
    ]);
    expect(versions.every((v) => typeof v.updated_at === 'number')).toBe(true);
  });

  it('rolls back to any version as a new version, and refuses unknown ones', async () => {
    const site = await createSite();
    await putConfig(site.id, { overlays: { min_gap_minutes: 5 }, widgets: { welcome_back: { enabled: false } } });
    await putConfig(site.id, { overlays: { min_gap_minutes: 10 } });
    const response = await rollback(site.id, { version: 1 }, site.token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ version: 3, note: 'rollback to 1', role: 'site', config: { overlays: { min_gap_minutes: 5 }, campaigns: expect.arrayContaining([expect.objectContaining({ id: 'welcome_back', enabled: false })]) } });
    expect(await getConfig(site.id)).toMatchObject({ version: 3, config: { overlays: { min_gap_minutes: 5 } } });
    expect((await history(site.id)).versions.map((v) => v.version)).toEqual([3, 2, 1]);

    const missing = await rollback(site.id, { version: 9 });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).error.code).toBe('unknown_version');
    const bad = await rollback(site.id, { version: 'one' });
    expect(bad.status).toBe(400);
    expect((await getConfig(site.id)).version).toBe(3);
  });

  it('refuses a save based on a version that is no longer current (If-Match)', async () => {
    const site = await createSite();
    await putConfig(site.id, { overlays: { min_gap_minutes: 5 } });
    expect((await putConfig(site.id, { overlays: { min_gap_minutes: 10 } }, OPERATOR_TOKEN, { 'If-Match': '1' })).status).toBe(200);
    const stale = await putConfig(site.id, { overlays: { min_gap_minutes: 20 } }, OPERATOR_TOKEN, { 'If-Match': '1' });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as ErrorBody).error.code).toBe('version_conflict');
    expect(await getConfig(site.id)).toMatchObject({ version: 2, config: { overlays: { min_gap_minutes: 10 } } });
  });
});

describe('config reaching decisions', () => {
  const signup = { signup_benefit: { enabled: true, trigger: { type: 'immediate' } } };

  it('a saved change applies to the next decision of this isolate', async () => {
    const site = await siteWith(quietConfig(signup));
    const s = new Shopper(site.id);
    expect((await s.overlay())?.widget).toBe('signup_benefit');
    await putConfig(site.id, quietConfig());
    expect(await s.overlay()).toBeNull();
  });

  /** A site whose config another isolate has just switched every campaign off in: KV has the
   * change, this isolate's cache (filled at the shopper's clock) not yet. */
  async function changedElsewhere() {
    const site = await siteWith(quietConfig(signup));
    const s = new Shopper(site.id);
    expect((await s.overlay())?.widget).toBe('signup_benefit'); // caches the config at s.now
    const off = await sendAt(s.now, `/v1/admin/sites/${site.id}/config`, { headers: auth(OPERATOR_TOKEN) });
    const current = (await off.json()) as ConfigView;
    current.config.campaigns.find((c: any) => c.id === 'signup_benefit').enabled = false;
    await env.KV.put(`config:${site.id}`, JSON.stringify({ info: { ...current, version: current.version + 1, config: undefined }, config: current.config }));
    return s;
  }

  it('a change saved elsewhere (another isolate) reaches decisions once the 10 s cache expires, refreshed without a decision waiting on KV', async () => {
    const s = await changedElsewhere();
    s.advance(9_000);
    expect((await s.overlay())?.widget).toBe('signup_benefit');
    s.advance(1_500);
    // Expired: this decision answers from the copy while one refresh reads KV in its waitUntil…
    expect((await s.overlay())?.widget).toBe('signup_benefit');
    // …and the decisions after the refresh see the change.
    await vi.waitFor(async () => expect(await s.overlay()).toBeNull(), { timeout: 5_000, interval: 50 });
  });

  it('a copy older than twice the cache time is never used: that decision waits for KV', async () => {
    const s = await changedElsewhere();
    s.advance(20_000);
    expect(await s.overlay()).toBeNull();
  });
});
