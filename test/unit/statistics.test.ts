// The report's statistics against published worked examples, and the daily-peeking guarantee by
// simulation (edge/report/statistics.ts).
import { describe, expect, it } from 'vitest';
import { alwaysValid, erfc, meanDifference, meanInterval, newcombe, sampleRatio, sampleVariance, wilson } from '../../edge/report/statistics';

/** A small seeded generator (mulberry32), so the simulation is the same on every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('Wilson score interval', () => {
  it('matches Newcombe (1998a), Table I: 81/263 → 0.2553 to 0.3662', () => {
    const [low, high] = wilson(81, 263);
    expect(low).toBeCloseTo(0.2553, 4);
    expect(high).toBeCloseTo(0.3662, 4);
  });

  it('stays inside 0..1 at the edges, where Wald collapses to a point', () => {
    const [low, high] = wilson(0, 10);
    expect(low).toBe(0);
    expect(high).toBeCloseTo(0.2775, 4);
  });
});

describe("Newcombe's hybrid score interval for a difference (Newcombe 1998b, method 10)", () => {
  // Newcombe's own worked examples, Table II.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
  ])('%i/%i − %i/%i → %f to %f', (x1, n1, x2, n2, low, high) => {
    const [l, h] = newcombe(x1, n1, x2, n2);
    expect(l).toBeCloseTo(low, 4);
    expect(h).toBeCloseTo(high, 4);
  });
});

describe('sample ratio check', () => {
  it('is a chi-square test with one degree of freedom', () => {
    expect(erfc(1)).toBeCloseTo(0.157299, 6);
    // 521 held out of 1000 at a 50% setting: χ² = 2 × 21² / 500 = 1.764, p = 0.1841.
    const fine = sampleRatio(521, 479, 0.5);
    expect(fine.chi_square).toBeCloseTo(1.764, 6);
    expect(fine.p_value).toBeCloseTo(0.1841, 4);
    expect(fine.mismatch).toBe(false);
  });

  it('warns when the holdout share is off its setting', () => {
    // 10% set, 1,300 of 10,000 held out: χ² = 300²/1000 + 300²/9000 = 100, p ≈ 1.5e-23.
    const off = sampleRatio(1300, 8700, 0.1);
    expect(off.chi_square).toBeCloseTo(100, 6);
    expect(off.p_value).toBeLessThan(1e-20);
    expect(off.mismatch).toBe(true);
    expect(sampleRatio(1030, 8970, 0.1).mismatch).toBe(false);
  });
});

describe('always-valid verdict (mSPRT)', () => {
  it('is wider than the one-look interval and contains it', () => {
    const once = newcombe(120, 1000, 80, 1000);
    const always = alwaysValid(120, 1000, 80, 1000)!;
    expect(always.interval[0]).toBeLessThan(once[0]);
    expect(always.interval[1]).toBeGreaterThan(once[1]);
    expect(always.p_value).toBeGreaterThan(0);
    expect(always.p_value).toBeLessThanOrEqual(1);
  });

  it('finds a real difference', () => {
    const clear = alwaysValid(600, 5000, 400, 5000)!;
    expect(clear.interval[0]).toBeGreaterThan(0);
    expect(clear.p_value).toBeLessThan(0.05);
  });

  it('with no true effect, daily peeking for 60 days declares a winner in at most 5% of campaigns', () => {
    // Shown and holdout convert alike; the report is read every day and a campaign counts as a
    // false winner (or loser) if any day's verdict says so. The fixed-sample interval, peeked at
    // the same way, is shown beside it for contrast.
    const scenarios = [
      { rate: 0.05, shownPerDay: 300, holdoutPerDay: 100 },
      { rate: 0.02, shownPerDay: 100, holdoutPerDay: 100 },
      { rate: 0.1, shownPerDay: 50, holdoutPerDay: 10 },
    ];
    const random = seeded(20261129);
    const campaigns = 400;
    for (const { rate, shownPerDay, holdoutPerDay } of scenarios) {
      let sequentialWinners = 0;
      let peekingWinners = 0;
      for (let c = 0; c < campaigns; c++) {
        let x1 = 0, n1 = 0, x2 = 0, n2 = 0;
        let sequential = false, peeking = false;
        for (let day = 0; day < 60; day++) {
          for (let i = 0; i < shownPerDay; i++, n1++) if (random() < rate) x1++;
          for (let i = 0; i < holdoutPerDay; i++, n2++) if (random() < rate) x2++;
          if (Math.min(n1, n2) < 30 || x1 + x2 < 5) continue; // the report's own minimum
          const [low, high] = alwaysValid(x1, n1, x2, n2)!.interval;
          if (low > 0 || high < 0) sequential = true;
          const [l, h] = newcombe(x1, n1, x2, n2);
          if (l > 0 || h < 0) peeking = true;
        }
        if (sequential) sequentialWinners++;
        if (peeking) peekingWinners++;
      }
      expect(sequentialWinners / campaigns).toBeLessThanOrEqual(0.05);
      expect(peekingWinners / campaigns).toBeGreaterThan(0.15);
    }
  }, 60_000);
});

describe('difference of means (revenue per visitor)', () => {
  // Per-visitor revenue 0, 10, 20, 30 (mean 15, variance 166.67) against 0, 0, 10 (mean 3.33, variance 33.33).
  const a = { n: 4, sum: 60, sumSq: 0 + 100 + 400 + 900 };
  const b = { n: 3, sum: 10, sumSq: 100 };
  it('takes the sample variance from a count, sum and sum of squares', () => {
    expect(sampleVariance(a)).toBeCloseTo(500 / 3, 10);
    expect(sampleVariance(b)).toBeCloseTo(100 / 3, 10);
    expect(sampleVariance({ n: 1, sum: 5, sumSq: 25 })).toBe(0);
    // Rounding may leave a tiny negative: never below zero.
    expect(sampleVariance({ n: 2, sum: 0.3, sumSq: 0.045 - 1e-18 })).toBeGreaterThanOrEqual(0);
  });
  it('gives the Welch (unpooled) normal interval', () => {
    const d = meanDifference(a, b)!;
    expect(d.difference).toBeCloseTo(15 - 10 / 3, 10);
    const half = 1.959964 * Math.sqrt(500 / 3 / 4 + 100 / 3 / 3);
    expect(d.interval[0]).toBeCloseTo(d.difference - half, 8);
    expect(d.interval[1]).toBeCloseTo(d.difference + half, 8);
    expect(meanDifference(a, { n: 0, sum: 0, sumSq: 0 })).toBeNull();
    const one = meanInterval(a)!;
    expect(one[0]).toBeCloseTo(15 - 1.959964 * Math.sqrt(500 / 3 / 4), 8);
  });
});
