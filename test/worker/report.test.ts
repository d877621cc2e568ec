import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { Report } from '../../edge/contract';
import { applyStoredBatches } from '../../edge/pipeline/run';
import { dayString, localClock } from '../../edge/lib/site-time';
import { OPERATOR_TOKEN } from './helpers';
import { report, widgetOf } from './report-helpers';
import { atShopHour, DAY, HOUR, putConfig, quietConfig, sendAt, Shopper, siteWith } from './shopper';

const signup = (holdout_percent: number, extra: Record<string, unknown> = {}) =>
  quietConfig({ signup_benefit: { enabled: true, holdout_percent, trigger: { type: 'immediate' }, caps: { per_session: null, per_day: null, lifetime: null }, ...extra } });

/** A new guest decided for signup_benefit; shown ones report the impression. */
async function decided(site: string, now: number) {
  const s = new Shopper(site, now);
  const d = await s.decide();
  return { s, d };
}

describe('report arithmetic', () => {
  it('counts groups, conversions, rates and the lift CI on a known data set', async () => {
    const site = await siteWith(signup(0));
    // Noon in the shop's zone: the impressions a minute later fall on the same local day as the
    // decisions, which the day's row below is read for.
    const now = atShopHour(12);
    // Shown: 40 visitors, each with an impression; 10 of them sign up, 4 click, 3 dismiss.
    for (let i = 0; i < 40; i++) {
      const { s, d } = await decided(site.id, now);
      expect(d.overlay?.widget).toBe('signup_benefit');
      await s.advance(60_000).widgetEvent('widget_impression', d.overlay!);
      if (i < 4) await s.widgetEvent('widget_click', d.overlay!);
      if (i >= 37) await s.widgetEvent('widget_dismiss', d.overlay!);
      if (i < 10) await s.advance(HOUR).track('sign_up', { method: 'email' });
    }
    // Holdout: 40 visitors, nothing shown; 2 sign up anyway.
    expect((await putConfig(site.id, signup(100))).status).toBe(200);
    for (let i = 0; i < 40; i++) {
      const { s, d } = await decided(site.id, now);
      expect(d.overlay).toBeNull();
      if (i < 2) await s.advance(HOUR).track('sign_up', { method: 'email' });
    }
    const r = Report.parse(await report(site.id, '', now + 2 * HOUR));
    expect(r.campaigns).toHaveLength(1);
    const w = widgetOf(r, 'signup_benefit');
    expect(w.shown).toEqual({
      visitors: 40, impressions: 40, clicks: 4, dismissals: 3, submits: 0, conversions: 10, conversion_rate: 0.25, revenue: 0, revenue_per_visitor: 0,
    });
    expect(w.holdout).toMatchObject({ visitors: 40, impressions: 0, conversions: 2, conversion_rate: 0.05 });
    // Newcombe's hybrid score interval for 10/40 − 2/40 (Wilson 0.1419–0.4019 and 0.0138–0.1650):
    // 0.20 − sqrt(0.1081² + 0.1150²) … 0.20 + sqrt(0.1519² + 0.0362²) = [0.0421, 0.3562].
    expect(w.lift.difference).toBeCloseTo(0.2, 10);
    expect(w.lift.ci95![0]).toBeCloseTo(0.0421, 4);
    expect(w.lift.ci95![1]).toBeCloseTo(0.3562, 4);
    expect(w.lift.relative_lift).toBeCloseTo(4, 10);
    // 40 visitors a group is too few for a verdict that stays valid when read every day.
    expect(w.lift.always_valid_ci95![0]).toBeLessThan(0);
    expect(w.lift.verdict).toBe('no_measurable_effect');
    expect(r.interval_method).toEqual({ rate: 'wilson', difference: 'newcombe_hybrid_score', verdict: 'msprt_always_valid', revenue_difference: 'normal_welch_difference_of_means' });
    const today = w.daily.find((p) => p.date === dayString(localClock(now, 'Asia/Seoul').day))!; // the site's local day
    expect(today).toMatchObject({ shown_visitors: 40, holdout_visitors: 40, impressions: 40, clicks: 4, conversions_shown: 10, conversions_holdout: 2 });
    expect(w.daily).toHaveLength(30);
  });

  it('credits purchase revenue once per transaction, per visitor, to both groups', async () => {
    const config = (holdout_percent: number) => quietConfig({ recommendations: { enabled: true, holdout_percent } });
    const site = await siteWith(config(0));
    const now = Date.now();
    const buy = (s: Shopper, tx: string, value: number) => s.track('purchase', { transaction_id: tx, value, currency: 'KRW', items: [] });
    const a = new Shopper(site.id, now);
    const [da] = (await a.decide({ slots: ['recommendations'] })).inline;
    await a.widgetEvent('widget_impression', da!);
    await a.advance(HOUR);
    await buy(a, 'A-1', 30000);
    await buy(a, 'A-1', 30000); // resent under a new event id: counts once
    await buy(a, 'A-2', 12000.5);
    const b = new Shopper(site.id, now);
    const [db] = (await b.decide({ slots: ['recommendations'] })).inline;
    await b.widgetEvent('widget_impression', db!);
    expect((await putConfig(site.id, config(100))).status).toBe(200);
    const h = new Shopper(site.id, now);
    expect((await h.decide({ slots: ['recommendations'] })).inline).toEqual([]);
    await h.advance(HOUR);
    await buy(h, 'H-1', 5000);

    const w = widgetOf(await report(site.id, '', now + 2 * HOUR), 'recommendations');
    expect(w.shown).toMatchObject({ visitors: 2, impressions: 2, conversions: 1, conversion_rate: 0.5, revenue: 42000.5, revenue_per_visitor: 21000.25 });
    expect(w.holdout).toMatchObject({ visitors: 1, conversions: 1, revenue: 5000, revenue_per_visitor: 5000 });
    expect(w.lift.verdict).toBe('not_enough_data');
  });
});

describe('refunds', () => {
  it("take an order's attributed revenue back once, from the group and day it was counted in; the conversion stays", async () => {
    const site = await siteWith(quietConfig({ recommendations: { enabled: true, holdout_percent: 0 } }));
    const now = Date.now();
    const a = new Shopper(site.id, now);
    const [d] = (await a.decide({ slots: ['recommendations'] })).inline;
    await a.widgetEvent('widget_impression', d!);
    await a.advance(HOUR);
    await a.track('purchase', { transaction_id: 'R-1', value: 30000, currency: 'KRW', items: [] });
    await a.track('purchase', { transaction_id: 'R-2', value: 12000, currency: 'KRW', items: [] });
    const shown = async () => widgetOf(await report(site.id, '', now + 3 * HOUR), 'recommendations').shown;
    expect(await shown()).toMatchObject({ conversions: 1, revenue: 42000 });

    await a.advance(HOUR);
    await a.track('refund', { transaction_id: 'R-1' });
    expect(await shown()).toMatchObject({ conversions: 1, revenue: 12000 });
    await a.track('refund', { transaction_id: 'R-1' }); // sent again under a new event id
    await a.track('refund', { transaction_id: 'NOT-CREDITED' });
    expect(await shown()).toMatchObject({ conversions: 1, revenue: 12000 });
    const [visitor] = await env.DB.prepare('SELECT revenue FROM report_visitors WHERE site = ? AND campaign = ?').bind(site.id, 'recommendations').all<{ revenue: number }>().then((r) => r.results);
    expect(visitor!.revenue).toBe(12000);
  });
});

describe('exactly once', () => {
  it('applies a batch to the rollups once, whatever processes it how often', async () => {
    const site = await siteWith(signup(0));
    const now = Date.now();
    const { s, d } = await decided(site.id, now);
    // A stored batch whose processing has not run yet (its waitUntil was lost).
    const batch = `batch-${crypto.randomUUID()}`;
    const props = { decision_id: d.overlay!.decision_id, widget: 'signup_benefit', variant: 'default' };
    const stmt = env.DB.prepare(
      `INSERT INTO events (site, id, name, ts, client_ts, received_at, anon_id, session_id, url, props, batch_id) VALUES (?1, ?2, ?3, ?4, ?4, ?9, ?5, ?6, 'https://shop.example/', ?7, ?8)`,
    );
    await env.DB.batch([
      stmt.bind(site.id, `e-${crypto.randomUUID()}`, 'widget_impression', now + 1000, s.anon, s.session, JSON.stringify(props), batch, now + 2000),
      stmt.bind(site.id, `e-${crypto.randomUUID()}`, 'sign_up', now + 2000, s.anon, s.session, '{"method":"email"}', batch, now + 2000),
      env.DB.prepare('INSERT INTO ingest_batches (id, site, received_at) VALUES (?1, ?2, ?3)').bind(batch, site.id, now + 2000),
    ]);
    const ref = [{ id: batch, site: site.id, received_at: now + 2000 }];
    const claims = await Promise.all([applyStoredBatches(env.DB, ref, now), applyStoredBatches(env.DB, ref, now)]);
    expect(claims.sort()).toEqual([0, 1]);
    expect(await applyStoredBatches(env.DB, ref, now)).toBe(0);
    expect(widgetOf(await report(site.id, '', now + HOUR), 'signup_benefit').shown).toMatchObject({ visitors: 1, impressions: 1, conversions: 1 });
  });
});

describe('attribution windows', () => {
  it('refuses windows out of range in the config', async () => {
    const site = await siteWith(quietConfig());
    const response = await putConfig(site.id, signup(0, { attribution: { click_days: 91, impression_days: 1 } }));
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('click_days');
  });

  it('credits inside the per-widget click and impression windows, and holdout decisions like impressions', async () => {
    const windows = { attribution: { click_days: 2, impression_days: 0.5 } };
    const site = await siteWith(signup(0, windows));
    const now = Date.now();
    const shown = async (act: 'impression' | 'click', wait: number) => {
      const { s, d } = await decided(site.id, now);
      await s.widgetEvent('widget_impression', d.overlay!);
      if (act === 'click') await s.widgetEvent('widget_click', d.overlay!);
      await s.advance(wait).track('sign_up', { method: 'email' });
    };
    await shown('impression', 11 * HOUR); // inside 12 h
    await shown('impression', 13 * HOUR); // outside
    await shown('click', 47 * HOUR); // inside 2 days
    await shown('click', 49 * HOUR); // outside
    expect((await putConfig(site.id, signup(100, windows))).status).toBe(200);
    for (const wait of [11 * HOUR, 13 * HOUR]) {
      const { s } = await decided(site.id, now);
      await s.advance(wait).track('sign_up', { method: 'email' });
    }
    // A conversion before any exposure is not credited (a lead: signing up would end the audience).
    const early = new Shopper(site.id, now - HOUR);
    await early.track('lead_submit', { email: 'early@example.com', marketing_consent: false });
    expect((await early.advance(HOUR).decide()).overlay).toBeNull();

    const w = widgetOf(await report(site.id, '', now + 3 * DAY), 'signup_benefit');
    expect(w.shown).toMatchObject({ visitors: 4, clicks: 2, conversions: 2 });
    expect(w.holdout).toMatchObject({ visitors: 3, conversions: 1 });
  });

  it('uses the site-wide windows by default (1 day after an impression)', async () => {
    const site = await siteWith(signup(0));
    const now = Date.now();
    for (const wait of [23 * HOUR, 25 * HOUR]) {
      const { s, d } = await decided(site.id, now);
      await s.widgetEvent('widget_impression', d.overlay!);
      await s.advance(wait).track('sign_up', { method: 'email' });
    }
    expect(widgetOf(await report(site.id, '', now + 2 * DAY), 'signup_benefit').shown).toMatchObject({ visitors: 2, conversions: 1 });
  });
});

describe('identity', () => {
  it('credits a conversion after login to the decision made while anonymous', async () => {
    const config = quietConfig({ recommendations: { enabled: true } });
    const site = await siteWith(config);
    const now = Date.now();
    const s = new Shopper(site.id, now);
    const [d] = (await s.decide({ slots: ['recommendations'] })).inline;
    await s.widgetEvent('widget_click', d!);
    await s.widgetEvent('widget_impression', d!);
    await s.advance(HOUR).identify('member-1');
    // Bought on another device, signed in: still the same person.
    const phone = s.onAnotherDevice();
    phone.user = 'member-1';
    await phone.advance(DAY).track('purchase', { transaction_id: 'M-1', value: 7000, items: [] });
    const w = widgetOf(await report(site.id, '', now + 2 * DAY), 'recommendations');
    expect(w.shown).toMatchObject({ visitors: 1, conversions: 1, revenue: 7000 });
  });
});

describe('holdout split', () => {
  it('holds out the configured share of visitors', async () => {
    const site = await siteWith(signup(30));
    const now = Date.now();
    const n = 300;
    let heldOut = 0;
    for (let i = 0; i < n; i++) if ((await decided(site.id, now)).d.overlay === null) heldOut++;
    const w = widgetOf(await report(site.id, '', now), 'signup_benefit');
    expect(w.shown.visitors + w.holdout.visitors).toBe(n);
    expect(w.holdout.visitors).toBe(heldOut);
    // Binomial(300, 0.3): sd = sqrt(0.3 * 0.7 / 300) = 0.0265; +/- 4 sd (0.106) fails about once in 16,000 runs.
    expect(heldOut / n).toBeGreaterThan(0.3 - 0.106);
    expect(heldOut / n).toBeLessThan(0.3 + 0.106);
  });
});

describe('report query', () => {
  it('answers clear 400s and needs the admin token', async () => {
    const site = await siteWith(quietConfig());
    const get = (q: string, auth = `Bearer ${OPERATOR_TOKEN}`) => sendAt(Date.now(), `/v1/admin/sites/${site.id}/report?${q}`, { headers: { Authorization: auth } });
    for (const q of ['from=2026-13-01', 'from=2026-02-30', 'to=yesterday', 'widget=popup', 'from=2026-03-02&to=2026-03-01', 'from=2020-01-01&to=2026-01-01']) {
      const response = await get(q);
      expect(response.status, q).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_query');
    }
    expect((await get('', 'Bearer nope')).status).toBe(401);
    const r = await report(site.id, 'from=2026-03-01&to=2026-03-07&widget=signup_benefit');
    expect(r).toMatchObject({ from: '2026-03-01', to: '2026-03-07', campaigns: [] });
  });
});
