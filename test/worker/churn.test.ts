import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { churnRisk, churnRiskSql, ORDER_TIMES_READ } from '../../edge/decide/churn';
import { dayString, localClock } from '../../edge/lib/site-time';
import { report } from './report-helpers';
import { campaignsConfig, DAY, Shopper, siteWith } from './shopper';

/** A seeded generator, so a failing history can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Order times of a shopper who buys every `cycle` days (± `jitter` share), `orders` times, the last at `last`. */
function history(rand: () => number, cycle: number, orders: number, last: number, jitter = 0.25): number[] {
  const times = [last];
  for (let i = 1; i < orders; i++) times.unshift(times[0]! - cycle * DAY * (1 + (rand() * 2 - 1) * jitter));
  return times;
}

const NOW = Date.UTC(2026, 10, 1);
const THRESHOLD = 0.8;

describe('personal churn risk', () => {
  it('flags a 10-day buyer after a few missed cycles and not a 90-day buyer, over generated histories', () => {
    const rand = random(15);
    for (let run = 0; run < 200; run++) {
      const orders = 4 + Math.floor(rand() * 8);
      // Both silent for 40 days: four cycles of the first, under half a cycle of the second.
      const frequent = churnRisk(history(rand, 10, orders, NOW - 40 * DAY), NOW, 60)!;
      const slow = churnRisk(history(rand, 90, orders, NOW - 40 * DAY), NOW, 60)!;
      expect(frequent.risk, `run ${run}: 10-day buyer, ${orders} orders`).toBeGreaterThanOrEqual(THRESHOLD);
      expect(slow.risk, `run ${run}: 90-day buyer, ${orders} orders`).toBeLessThan(THRESHOLD);
      // Within their own rhythm, neither is flagged.
      expect(churnRisk(history(rand, 10, orders, NOW - 8 * DAY), NOW, 60)!.risk, `run ${run}`).toBeLessThan(THRESHOLD);
      expect(churnRisk(history(rand, 90, orders, NOW - 70 * DAY), NOW, 60)!.risk, `run ${run}`).toBeLessThan(THRESHOLD);
      // The slow buyer too is flagged once they miss a few of their own cycles.
      expect(churnRisk(history(rand, 90, orders, NOW - 300 * DAY), NOW, 60)!.risk, `run ${run}`).toBeGreaterThanOrEqual(THRESHOLD);
    }
  });

  it('rises with the silence and stands on the prior alone for a single order', () => {
    const times = history(random(1), 10, 6, NOW - 5 * DAY, 0);
    const risks = [5, 10, 15, 20, 30, 40].map((days) => churnRisk(times, NOW - 5 * DAY + days * DAY - 5 * DAY, 60)!.risk);
    for (let i = 1; i < risks.length; i++) expect(risks[i]).toBeGreaterThanOrEqual(risks[i - 1]!);
    const single = churnRisk([NOW - 60 * DAY], NOW, 60)!;
    expect(single.gaps).toBe(0);
    // The prior says 95% of gaps fall within the repurchase window.
    expect(single.risk).toBeCloseTo(0.95, 2);
    expect(churnRisk([], NOW, 60)).toBeNull();
  });

  it('the SQL the report counts stages with gives the risk churnRisk gives, shopper by shopper', async () => {
    const rand = random(7);
    const site = `churn-sql-${crypto.randomUUID().slice(0, 8)}`;
    const histories = new Map<string, number[]>();
    for (let v = 0; v < 60; v++) {
      const cycle = 2 + rand() * 120;
      const orders = 1 + Math.floor(rand() * (v % 10 === 0 ? 80 : 12));
      const times = history(rand, cycle, orders, NOW - rand() * 200 * DAY, 0.6);
      // Same-day repeats (a split order: no gap) and an order at `now` (no silence yet) among them.
      if (v % 7 === 3) times.push(times[times.length - 1]! + 3_600_000);
      if (v === 5) times.push(NOW);
      histories.set(`u:churn-${v}`, times.map(Math.round));
    }
    const rows = [...histories].flatMap(([visitor, times]) => times.map((ts, i) => env.DB.prepare(`INSERT INTO orders (site, transaction_id, visitor_id, ts, value, items) VALUES (?1, ?2, ?3, ?4, 1000, '[]')`).bind(site, `${visitor}-${i}`, visitor, ts)));
    await env.DB.batch(rows);
    for (const windowDays of [30, 60]) {
      const { results } = await env.DB.prepare(`WITH ${churnRiskSql('SELECT visitor_id FROM orders WHERE site = ?1', NOW, windowDays)} SELECT visitor_id, risk FROM churn_risk`).bind(site).all<{ visitor_id: string; risk: number }>();
      expect(results).toHaveLength(histories.size);
      for (const { visitor_id, risk } of results) {
        const times = histories.get(visitor_id)!;
        // Decide reads the latest ORDER_TIMES_READ orders; so does the SQL.
        const latest = [...times].sort((a, b) => b - a).slice(0, ORDER_TIMES_READ);
        expect(Math.abs(risk - churnRisk(latest, NOW, windowDays)!.risk), `${visitor_id}, ${times.length} orders, window ${windowDays}`).toBeLessThanOrEqual(0.001);
      }
    }
  });
});

describe('churn risk in stages and audiences', () => {
  const buy = async (s: Shopper, n: number, every: number) => {
    for (let i = 0; i < n; i++) {
      if (i > 0) s.advance(every * DAY);
      await s.track('purchase', { transaction_id: `T-${s.anon}-${i}`, value: 10000, items: [{ item_id: 'sku-1', price: 10000 }] });
    }
  };
  const winback = { id: 'winback', name: 'Win back', template: 'welcome_back', trigger: { type: 'immediate' }, audience: { stages: ['new', 'active', 'at_risk'], consent: 'none', churn_risk: { min: 0.8 } } };

  it('a site on the churn_risk model calls the 10-day buyer at_risk long before the 90-day buyer; audiences filter on it', async () => {
    const site = await siteWith(campaignsConfig([winback], { stages: { at_risk_model: 'churn_risk', churn_risk_threshold: 0.8 } }));
    const frequent = new Shopper(site.id, NOW - 200 * DAY);
    await buy(frequent, 6, 10);
    const slow = new Shopper(site.id, NOW - 600 * DAY);
    await buy(slow, 6, 90);
    frequent.advance(12 * DAY);
    slow.advance(12 * DAY);
    expect((await frequent.profile()).stage).toBe('active');
    expect(await frequent.overlay()).toBeNull();

    frequent.advance(28 * DAY); // 40 days silent: four missed cycles
    slow.advance(28 * DAY);
    const f = await frequent.profile();
    expect(f.stage).toBe('at_risk');
    expect(f.facts.churn).toMatchObject({ gaps: 5 });
    expect(f.facts.churn.risk).toBeGreaterThanOrEqual(0.8);
    expect((await frequent.overlay())?.campaign).toBe('winback');

    const s = await slow.profile();
    expect(s.stage).toBe('active');
    expect(s.facts.churn.risk).toBeLessThan(0.8);
    expect(await slow.overlay()).toBeNull();
    expect(s.eligibility[0].reason).toMatch(/^churn risk 0\.\d+ is below 0.8$/);

    // The report's funnel places them as the profile view does: by churn risk, not the 60-day window.
    const day = (ms: number) => dayString(localClock(ms, 'Asia/Seoul').day);
    const funnel = await report(site.id, `from=${day(frequent.now - DAY)}&to=${day(frequent.now)}`, frequent.now);
    expect(funnel.stages.counts).toMatchObject({ active: 1, at_risk: 1 });

    // With the window model (the default) the stage ignores churn risk; the audience still uses it.
    const windowSite = await siteWith(campaignsConfig([winback], { stages: { repurchase_window_days: 60 } }));
    const again = new Shopper(windowSite.id, NOW - 200 * DAY);
    await buy(again, 6, 10);
    again.advance(40 * DAY);
    expect((await again.profile()).stage).toBe('active');
    expect((await again.overlay())?.campaign).toBe('winback');
  });
});
