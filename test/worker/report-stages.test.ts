import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { SiteConfig } from '../../edge/contract';
import { countStages } from '../../edge/report/build-report';
import { dayString, localClock } from '../../edge/lib/site-time';
import { report } from './report-helpers';
import { atShopHour, DAY, quietConfig, Shopper, siteWith } from './shopper';

const stages = { repurchase_window_days: 30, at_risk_days: 45, dormant_days: 120 };
/** The report's days are the site's local days (Asia/Seoul by default). */
const day = (ms: number) => dayString(localClock(ms, 'Asia/Seoul').day);

describe('stage funnel', () => {
  it('counts shoppers per stage at the end of the period and the moves made in it', async () => {
    const site = await siteWith(quietConfig({ recommendations: { enabled: true } }, { stages }));
    // Noon in the shop's zone: the events a moment before and after `now` stay on its local day.
    const now = atShopHour(12);
    const buy = (s: Shopper, tx: string) => s.track('purchase', { transaction_id: `${s.anon}-${tx}`, value: 1000, items: [] });

    const prospect = new Shopper(site.id, now);
    await prospect.pageView();
    const once = new Shopper(site.id, now);
    await once.pageView();
    await buy(once, '1');
    const twice = new Shopper(site.id, now);
    await twice.pageView();
    await buy(twice, '1');
    await buy(twice.advance(1000), '2');
    // Bought 50 days ago: at risk now (45 days), which is counted when a decision computes it.
    const lapsed = new Shopper(site.id, now - 50 * DAY);
    await lapsed.pageView();
    await buy(lapsed, '1');
    lapsed.advance(50 * DAY);
    expect((await lapsed.decide({ slots: ['recommendations'] })).inline).toHaveLength(1);

    const all = await report(site.id, `from=${day(now - 60 * DAY)}&to=${day(now)}`, now + 2000);
    expect(all.stages.counts).toEqual({ prospect: 1, new: 1, active: 1, at_risk: 1, dormant: 0, wakeup: 0 });
    // Counted a slice of profiles a statement: any slice size gives the same counts, on either model.
    const thresholds = SiteConfig.parse({ stages }).stages;
    for (const slice of [1, 2, 3, 4, 5, 1000]) expect(await countStages(env.DB, site.id, thresholds, now + 2000, slice), `slice ${slice}`).toEqual(all.stages.counts);
    const churnModel = { ...thresholds, at_risk_model: 'churn_risk' as const };
    const whole = await countStages(env.DB, site.id, churnModel, now + 2000, 1000);
    for (const slice of [1, 3]) expect(await countStages(env.DB, site.id, churnModel, now + 2000, slice)).toEqual(whole);
    // The SQL stage count agrees with the stage the engine computes for each shopper.
    for (const [s, stage] of [[prospect, 'prospect'], [once, 'new'], [twice, 'active'], [lapsed, 'at_risk']] as const) {
      s.now = now + 2000;
      expect((await s.profile()).stage).toBe(stage);
    }
    const moves = (r: typeof all) => Object.fromEntries(r.stages.transitions.map((t) => [`${t.from}>${t.to}`, t.visitors]));
    expect(moves(all)).toEqual({ 'prospect>new': 3, 'new>active': 1, 'new>at_risk': 1 });
    // Only the moves inside the period: the lapsed shopper's first purchase was 50 days ago.
    expect(moves(await report(site.id, `from=${day(now)}&to=${day(now)}`, now + 2000))).toEqual({ 'prospect>new': 2, 'new>active': 1, 'new>at_risk': 1 });
    // Counts are taken at the end of the period: 60 days ago nobody had arrived yet.
    expect((await report(site.id, `from=${day(now - 60 * DAY)}&to=${day(now - 60 * DAY)}`, now)).stages.counts.prospect).toBe(0);
  });
});
