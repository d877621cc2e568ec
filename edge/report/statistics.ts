/** The statistics behind a campaign's verdict, each a pure function of counts.
 *
 * - Rates: Wilson score interval (Wilson 1927), which holds at small counts where Wald's does not.
 * - Difference of two rates: Newcombe's hybrid score interval (Newcombe 1998, "Interval estimation
 *   for the difference between independent proportions", method 10), built from the two Wilson
 *   intervals.
 * - Peeking every day: a mixture sequential probability ratio test (mSPRT; Johari, Pekelis & Walsh
 *   2017, "Always valid inference") over the difference, with a normal mixing distribution. Its
 *   confidence sequence covers the true difference at every look at once, so a marketer may read
 *   the report daily and stop whenever it says "significant" with the stated error rate.
 * - Sample ratio mismatch: Pearson's chi-square goodness-of-fit test of the observed holdout share
 *   against the configured one (1 degree of freedom). */

export const Z95 = 1.959964;

/** The error rate the always-valid verdict keeps over any number of looks. */
export const SEQUENTIAL_ALPHA = 0.05;
/** The mixing distribution: an equal-weight mixture of normals with these standard deviations, in
 * rate points, so the test finds a 20-point jump in a signup rate within days and a half-point
 * change in a purchase rate over weeks. An average of mixture martingales is one too, so the error
 * rate holds; the grid is fixed before any data, as the method requires. */
export const MIXTURE_TAUS = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2] as const;
/** An SRM warning at p below this (a strict threshold: the check runs on every report read). */
export const SRM_P_THRESHOLD = 0.001;

export type Interval = [number, number];

/** Wilson score interval for `successes` out of `n`. */
export function wilson(successes: number, n: number, z = Z95): Interval {
  if (n <= 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Newcombe's hybrid score interval for p1 - p2. */
export function newcombe(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const [l1, u1] = wilson(x1, n1, z);
  const [l2, u2] = wilson(x2, n2, z);
  const d = p1 - p2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

export interface SequentialResult {
  /** Always-valid interval for p1 - p2 at this look. */
  interval: Interval;
  /** Always-valid p-value for "no difference" at this look (1 / the mixture likelihood ratio, capped at 1). */
  p_value: number;
}

/** The mSPRT confidence sequence for p1 - p2 at one look, or null while a group is empty. */
export function alwaysValid(x1: number, n1: number, x2: number, n2: number, alpha = SEQUENTIAL_ALPHA, taus: readonly number[] = MIXTURE_TAUS): SequentialResult | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const d = x1 / n1 - x2 / n2;
  // The variance from add-one rates (Laplace): the plug-in one is near zero at a few conversions,
  // which would make early looks overconfident exactly when counts are small.
  const q1 = (x1 + 1) / (n1 + 2);
  const q2 = (x2 + 1) / (n2 + 2);
  const v = (q1 * (1 - q1)) / n1 + (q2 * (1 - q2)) / n2;
  // The mixture likelihood ratio against a true difference `d - gap` (Johari et al., normal case).
  const ratio = (gap: number) =>
    taus.reduce((sum, tau) => {
      const t2 = tau * tau;
      return sum + Math.sqrt(v / (v + t2)) * Math.exp((gap * gap * t2) / (2 * v * (v + t2)));
    }, 0) / taus.length;
  // The ratio grows with the gap, so the set of differences not rejected is d ± half: bisect for it.
  let low = 0;
  let high = 2;
  if (ratio(high) < 1 / alpha) low = high;
  for (let i = 0; i < 60 && high - low > 1e-9; i++) {
    const mid = (low + high) / 2;
    if (ratio(mid) < 1 / alpha) low = mid;
    else high = mid;
  }
  return { interval: [d - low, d + low], p_value: Math.min(1, 1 / ratio(d)) };
}

/** Complementary error function (Numerical Recipes' erfc, fractional error below 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export interface SampleRatioCheck {
  expected_holdout_share: number;
  observed_holdout_share: number | null;
  chi_square: number | null;
  p_value: number | null;
  /** True when the split is so far from the setting that the campaign's numbers cannot be trusted. */
  mismatch: boolean;
}

/** Does the observed holdout share match its setting? */
export function sampleRatio(holdout: number, shown: number, expectedHoldoutShare: number): SampleRatioCheck {
  const total = holdout + shown;
  const expected = Math.min(1, Math.max(0, expectedHoldoutShare));
  if (total === 0 || expected <= 0 || expected >= 1) {
    return { expected_holdout_share: expected, observed_holdout_share: total ? holdout / total : null, chi_square: null, p_value: null, mismatch: expected <= 0 ? holdout > 0 : expected >= 1 ? shown > 0 : false };
  }
  const eh = total * expected;
  const es = total - eh;
  const chi = (holdout - eh) ** 2 / eh + (shown - es) ** 2 / es;
  const p = erfc(Math.sqrt(chi / 2));
  return { expected_holdout_share: expected, observed_holdout_share: holdout / total, chi_square: chi, p_value: p, mismatch: p < SRM_P_THRESHOLD };
}

export interface MeanSummary {
  n: number;
  /** Sum of the per-unit values (revenue per visitor). */
  sum: number;
  /** Sum of their squares. */
  sumSq: number;
}

/** Sample variance from a count, sum and sum of squares (0 below two units; never negative). */
export function sampleVariance({ n, sum, sumSq }: MeanSummary): number {
  if (n < 2) return 0;
  return Math.max(0, (sumSq - (sum * sum) / n) / (n - 1));
}

/** Normal-approximation 95% interval for one mean (revenue per shopper). */
export function meanInterval(g: MeanSummary, z = Z95): Interval | null {
  if (g.n <= 0) return null;
  const mean = g.sum / g.n;
  const half = z * Math.sqrt(sampleVariance(g) / g.n);
  return [mean - half, mean + half];
}

/** Normal-approximation (Welch, unpooled) 95% interval for the difference of two means, mean1 - mean2. */
export function meanDifference(a: MeanSummary, b: MeanSummary, z = Z95): { difference: number; interval: Interval } | null {
  if (a.n <= 0 || b.n <= 0) return null;
  const difference = a.sum / a.n - b.sum / b.n;
  const half = z * Math.sqrt(sampleVariance(a) / a.n + sampleVariance(b) / b.n);
  return { difference, interval: [difference - half, difference + half] };
}
