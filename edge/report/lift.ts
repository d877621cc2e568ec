/** Is showing a widget better than holding it out? Compares conversion rates of the shown and
 * holdout groups: absolute difference with a 95% confidence interval (unpooled Wald for two
 * proportions), relative lift, and a verdict a marketer can read. */

export interface GroupOutcome {
  visitors: number;
  conversions: number;
}

export type Verdict = 'significant_lift' | 'significant_drop' | 'no_measurable_effect' | 'not_enough_data';

export interface LiftResult {
  shown_rate: number | null;
  holdout_rate: number | null;
  /** shown_rate - holdout_rate, in rate points (0.012 = 1.2 points). */
  difference: number | null;
  ci95: [number, number] | null;
  /** difference / holdout_rate. */
  relative_lift: number | null;
  verdict: Verdict;
  /** More visitors per group needed to tell a difference this size (or a 10% relative one) apart. */
  more_visitors_needed: number | null;
  message: string;
}

const Z95 = 1.959964;
const Z80_POWER = 0.841621;
/** Below this many visitors (or conversions) per group the normal approximation is not trusted. */
const MIN_VISITORS = 30;
const MIN_CONVERSIONS = 5;
/** When the groups look the same, how small an effect we still want to be able to see. */
const MIN_DETECTABLE_RELATIVE = 0.1;

const rate = (g: GroupOutcome) => (g.visitors > 0 ? g.conversions / g.visitors : null);

/** Visitors per group for 80% power at 5% two-sided significance (normal approximation). */
export function visitorsPerGroup(p1: number, p2: number): number {
  const variance = p1 * (1 - p1) + p2 * (1 - p2);
  const delta = Math.abs(p1 - p2);
  if (delta === 0) return Infinity;
  return Math.ceil(((Z95 + Z80_POWER) ** 2 * variance) / delta ** 2);
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

export function compareGroups(shown: GroupOutcome, holdout: GroupOutcome): LiftResult {
  const p1 = rate(shown);
  const p2 = rate(holdout);
  if (p1 === null || p2 === null) {
    return {
      shown_rate: p1,
      holdout_rate: p2,
      difference: null,
      ci95: null,
      relative_lift: null,
      verdict: 'not_enough_data',
      more_visitors_needed: null,
      message: p2 === null ? 'No holdout visitors yet: set a holdout percentage to measure this widget.' : 'No visitors have been shown this widget yet.',
    };
  }
  const difference = p1 - p2;
  const se = Math.sqrt((p1 * (1 - p1)) / shown.visitors + (p2 * (1 - p2)) / holdout.visitors);
  const ci95: [number, number] = [difference - Z95 * se, difference + Z95 * se];
  const relative = p2 > 0 ? difference / p2 : null;
  const target = difference !== 0 ? p1 : p2 * (1 + MIN_DETECTABLE_RELATIVE) || 0.01;
  const needed = visitorsPerGroup(target, p2);
  const more = Number.isFinite(needed) ? Math.max(0, needed - Math.min(shown.visitors, holdout.visitors)) : null;
  const enough =
    Math.min(shown.visitors, holdout.visitors) >= MIN_VISITORS && shown.conversions + holdout.conversions >= MIN_CONVERSIONS;

  let verdict: Verdict;
  let message: string;
  if (!enough) {
    verdict = 'not_enough_data';
    message = `Too early to tell: needs about ${more ?? 'many'} more visitors in each group.`;
  } else if (ci95[0] > 0) {
    verdict = 'significant_lift';
    message = `Showing it lifts conversion from ${pct(p2)} to ${pct(p1)} (95% CI +${pct(ci95[0])} to +${pct(ci95[1])} points).`;
  } else if (ci95[1] < 0) {
    verdict = 'significant_drop';
    message = `Showing it lowers conversion from ${pct(p2)} to ${pct(p1)}: consider switching it off.`;
  } else {
    verdict = 'no_measurable_effect';
    message = `No measurable effect yet (${pct(p1)} shown vs ${pct(p2)} holdout); needs about ${more ?? 'many'} more visitors in each group.`;
  }
  return { shown_rate: p1, holdout_rate: p2, difference, ci95, relative_lift: relative, verdict, more_visitors_needed: more, message };
}
