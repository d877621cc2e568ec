/** Is showing a widget better than holding it out? Compares conversion rates of the shown and
 * holdout groups: absolute difference with its 95% interval (Newcombe's hybrid score interval),
 * relative lift, and a verdict a marketer can read every day: the verdict comes from an
 * always-valid interval (mSPRT), so looking daily does not inflate false "winners"
 * (edge/report/statistics.ts). */
import { alwaysValid, newcombe } from './statistics';

/** Named in the report so a reader knows which formulas its intervals come from. */
export const INTERVAL_METHOD = {
  rate: 'wilson',
  difference: 'newcombe_hybrid_score',
  verdict: 'msprt_always_valid',
  revenue_difference: 'normal_welch_difference_of_means',
} as const;

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
  /** Newcombe's 95% interval for `difference`, valid for one look. */
  ci95: [number, number] | null;
  /** The always-valid 95% interval the verdict is read from, valid at every look. */
  always_valid_ci95: [number, number] | null;
  /** Always-valid p-value for "no difference". */
  always_valid_p: number | null;
  /** difference / holdout_rate. */
  relative_lift: number | null;
  verdict: Verdict;
  /** More visitors in the smaller group (the split kept) until the always-valid verdict could tell a
   * difference this size (or a 10% relative one) apart; null when it never could. */
  more_visitors_needed: number | null;
  message: string;
}

/** Below this many visitors (or conversions) per group the normal approximation is not trusted. */
const MIN_VISITORS = 30;
const MIN_CONVERSIONS = 5;
/** When the groups look the same, how small an effect we still want to be able to see. */
const MIN_DETECTABLE_RELATIVE = 0.1;
/** Past this many visitors per group "how many more" is not worth a number. */
const MAX_VISITORS = 10_000_000;

const rate = (g: GroupOutcome) => (g.visitors > 0 ? g.conversions / g.visitors : null);

/**
 * Visitors per group (the smaller group, the split kept as it is) at which rates p1 and p2 would
 * be told apart by the always-valid test the verdict uses; null when they never would be.
 */
export function visitorsPerGroup(p1: number, p2: number, shownPerHoldout = 1): number | null {
  if (p1 === p2) return null;
  const shownShare = Math.max(1, shownPerHoldout);
  const holdoutShare = Math.max(1, 1 / shownPerHoldout);
  const apart = (n: number) => {
    const n1 = n * shownShare;
    const n2 = n * holdoutShare;
    const [low, high] = alwaysValid(p1 * n1, n1, p2 * n2, n2)!.interval;
    return low > 0 || high < 0;
  };
  let high = MIN_VISITORS;
  while (!apart(high)) {
    high *= 2;
    if (high > MAX_VISITORS) return null;
  }
  let low = high / 2;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (apart(mid)) high = mid;
    else low = mid;
  }
  return high;
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
      always_valid_ci95: null,
      always_valid_p: null,
      relative_lift: null,
      verdict: 'not_enough_data',
      more_visitors_needed: null,
      message: p2 === null ? 'No holdout visitors yet: set a holdout percentage to measure this widget.' : 'No visitors have been shown this widget yet.',
    };
  }
  const difference = p1 - p2;
  const ci95 = newcombe(shown.conversions, shown.visitors, holdout.conversions, holdout.visitors);
  const sequential = alwaysValid(shown.conversions, shown.visitors, holdout.conversions, holdout.visitors);
  const decisive = sequential?.interval ?? null;
  const relative = p2 > 0 ? difference / p2 : null;
  const target = difference !== 0 ? p1 : Math.min(1, p2 * (1 + MIN_DETECTABLE_RELATIVE) || 0.01);
  const needed = visitorsPerGroup(target, p2, shown.visitors / holdout.visitors);
  const more = needed === null ? null : Math.max(0, needed - Math.min(shown.visitors, holdout.visitors));
  const enough =
    Math.min(shown.visitors, holdout.visitors) >= MIN_VISITORS && shown.conversions + holdout.conversions >= MIN_CONVERSIONS;

  let verdict: Verdict;
  let message: string;
  if (!enough) {
    verdict = 'not_enough_data';
    message = `Too early to tell: needs about ${more ?? 'many'} more visitors in each group.`;
  } else if (decisive && decisive[0] > 0) {
    verdict = 'significant_lift';
    message = `Showing it lifts conversion from ${pct(p2)} to ${pct(p1)} (95% CI +${pct(ci95[0])} to +${pct(ci95[1])} points).`;
  } else if (decisive && decisive[1] < 0) {
    verdict = 'significant_drop';
    message = `Showing it lowers conversion from ${pct(p2)} to ${pct(p1)}: consider switching it off.`;
  } else {
    verdict = 'no_measurable_effect';
    message = `No measurable effect yet (${pct(p1)} shown vs ${pct(p2)} holdout); needs about ${more ?? 'many'} more visitors in each group.`;
  }
  return {
    shown_rate: p1,
    holdout_rate: p2,
    difference,
    ci95,
    always_valid_ci95: decisive,
    always_valid_p: sequential?.p_value ?? null,
    relative_lift: relative,
    verdict,
    more_visitors_needed: more,
    message,
  };
}
