import type { AudienceT, RangeFactT, RangeT } from '../contract';
import { DAY_MS } from '../lib/time';
import { because, figure, type Verdict } from './reasons';
import { dueProducts } from './repurchase';
import type { ShopperFacts } from './shopper-facts';

/** Why the shop's facts about a shopper keep them out of an audience; null when they fit.
 * Ranges are inclusive; a range with a bound set excludes a shopper the fact is unknown for. */

function rangeVerdict(fact: RangeFactT, range: RangeT, value: number | null): Verdict {
  if (range.min === null && range.max === null) return null;
  if (value === null) return because('fact_unknown', { fact });
  if (range.min !== null && value < range.min) return because('fact_below', { fact, value: figure(value), min: range.min });
  if (range.max !== null && value > range.max) return because('fact_above', { fact, value: figure(value), max: range.max });
  return null;
}

/** An answer fits a listed answer, or (a scale answer, "0" to "10") the score range. */
function surveyAnswerFits(want: AudienceT['survey_answers'][number], answer: string): boolean {
  if (want.answers.includes(answer)) return true;
  if (!want.score || !/^(?:10|[0-9])$/.test(answer)) return false;
  const score = Number(answer);
  return (want.score.min === null || score >= want.score.min) && (want.score.max === null || score <= want.score.max);
}

/** The audience's ranges over the shop's facts, in the order a verdict names them. A constant:
 * a decision checks every campaign's audience, and a fresh list of tuples per check was the
 * engine's largest allocation (about 12 KB a decision with 30 campaigns). */
const RANGES: readonly { fact: RangeFactT; range: (a: AudienceT) => RangeT; value: (f: ShopperFacts) => number | null }[] = [
  { fact: 'orders', range: (a) => a.orders, value: (f) => f.orders },
  { fact: 'days_since_signup', range: (a) => a.days_since_signup, value: (f) => f.days_since_signup },
  { fact: 'days_since_first_order', range: (a) => a.days_since_first_order, value: (f) => f.days_since_first_order },
  { fact: 'days_since_last_order', range: (a) => a.days_since_last_order, value: (f) => f.days_since_last_order },
  { fact: 'total_order_value', range: (a) => a.total_order_value, value: (f) => f.total_order_value },
  { fact: 'average_order_value', range: (a) => a.average_order_value, value: (f) => f.average_order_value },
  { fact: 'amount_to_next_tier', range: (a) => a.amount_to_next_tier, value: (f) => f.amount_to_next_tier },
  { fact: 'points_balance', range: (a) => a.points_balance, value: (f) => f.points_balance },
  { fact: 'churn_risk', range: (a) => a.churn_risk, value: (f) => f.churn?.risk ?? null },
];

export function factsVerdict(a: AudienceT, f: ShopperFacts, now: number): Verdict {
  for (let i = 0; i < RANGES.length; i++) {
    const { fact, range, value } = RANGES[i]!;
    const verdict = rangeVerdict(fact, range(a), value(f));
    if (verdict) return verdict;
  }
  if (a.tiers.length > 0 && (f.tier === null || !a.tiers.includes(f.tier))) return because('tier_not_in_audience', { tier: f.tier ?? '(none)' });
  if (a.tier_drops_within_days !== null && (f.tier_drops_at === null || f.tier_drops_at < now || f.tier_drops_at > now + a.tier_drops_within_days * DAY_MS)) {
    return because('no_tier_drop', { days: a.tier_drops_within_days });
  }
  if (a.points_expiring) {
    const until = now + a.points_expiring.within_days * DAY_MS;
    const expiring = f.points_expiring.filter((e) => e.expires_at >= now && e.expires_at <= until).reduce((sum, e) => sum + e.amount, 0);
    if (expiring < a.points_expiring.min_amount) return because('points_expiring_short', { amount: figure(expiring), days: a.points_expiring.within_days, needed: a.points_expiring.min_amount });
  }
  if (a.coupons_expiring) {
    const until = now + a.coupons_expiring.within_days * DAY_MS;
    if (!f.coupons.some((c) => c.expires_at !== null && c.expires_at >= now && c.expires_at <= until)) return because('no_coupon_expiring', { days: a.coupons_expiring.within_days });
  }
  if (a.repurchase_due && dueProducts(f.repurchase, now, a.repurchase_due).length === 0) return because('no_repurchase_due');
  for (const want of a.survey_answers) {
    const given = f.survey_answers.find((s) => s.survey === want.survey && s.question === want.question);
    if (!given || !given.answers.some((x) => surveyAnswerFits(want, x))) {
      const { survey, question } = want;
      return want.score
        ? because('survey_score_not_answered', { survey, question, min: want.score.min ?? 0, max: want.score.max ?? 10 })
        : because('survey_not_answered', { survey, question, answers: want.answers.join(', ') });
    }
  }
  return null;
}
