import type { RangeFactT, ReasonCodeT, ReasonValuesT, ShopDataT } from '../contract';

/** Why a campaign is not decided for a shopper: a code the admin words in the marketer's language
 * and the figures it quotes. Decide only asks whether there is one; the profile view shows it. */
export interface Reason {
  readonly code: ReasonCodeT;
  readonly values?: ReasonValuesT;
}

/** A campaign's verdict: why not, or null when it may be decided. */
export type Verdict = Reason | null;

export const because = (code: ReasonCodeT, values?: ReasonValuesT): Reason => (values ? { code, values } : { code });

/** A figure as reasons quote it: whole numbers as they are, others to two decimals. */
export const figure = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

const FACT_WORDS: Record<RangeFactT, string> = {
  orders: 'orders',
  days_since_signup: 'days since sign-up',
  days_since_first_order: 'days since first order',
  days_since_last_order: 'days since last order',
  total_order_value: 'total order value',
  average_order_value: 'average order value',
  amount_to_next_tier: 'amount to next tier',
  points_balance: 'points balance',
  churn_risk: 'churn risk',
};

const DATA_WORDS: Record<ShopDataT, string> = { stamps: 'stamps', tier: 'tier', points: 'points' };

/** The English words of each reason (the API's `reason`); `{name}` quotes a value. */
const ENGLISH: Record<ReasonCodeT, string> = {
  switched_off: 'switched off',
  control_group: 'in the store-wide control group',
  before_schedule: 'before its schedule',
  after_schedule: 'after its schedule',
  stage_not_in_audience: 'stage {stage} is not in its audience',
  members_only: 'for members only',
  guests_only: 'for guests only',
  needs_marketing_consent: 'needs marketing consent',
  needs_analytics_consent: 'needs analytics consent',
  device_not_targeted: 'not for {device}',
  page_type_not_targeted: 'not for {page_type} pages',
  url_not_included: 'URL not included',
  url_excluded: 'URL excluded',
  utm_mismatch: 'campaign does not match',
  cart_value_below: 'cart value below range',
  cart_value_above: 'cart value above range',
  page_views_short: '{seen} of {needed} page views',
  not_return_visit: 'not a return visit',
  converted: 'converted already',
  dismissed_recently: 'dismissed recently',
  lifetime_cap: 'lifetime cap reached',
  daily_cap: 'daily cap reached',
  session_cap: 'session cap reached',
  already_member: 'already a member',
  cart_empty: 'cart is empty',
  nothing_to_review: 'nothing awaits a review',
  consented_already: 'consented already',
  no_interested_product: 'no product of interest',
  survey_answered_recently: 'answered within its recontact period',
  survey_dismissed_recently: 'dismissed within its recontact period',
  fact_unknown: '{fact} is unknown',
  fact_below: '{fact} {value} is below {min}',
  fact_above: '{fact} {value} is above {max}',
  tier_not_in_audience: 'tier {tier} is not in its audience',
  no_tier_drop: 'no tier drop within {days} days',
  points_expiring_short: '{amount} points expire within {days} days (needs {needed})',
  no_coupon_expiring: 'no coupon expires within {days} days',
  no_repurchase_due: 'no product is due for repurchase',
  survey_not_answered: 'survey {survey}/{question} was not answered one of: {answers}',
  survey_score_not_answered: 'survey {survey}/{question} was not answered a score of {min} to {max}',
  shop_data_missing: "no {what} from the shop's server",
  shop_data_stale: "{what} from the shop's server is {hours} hours old (at most {max})",
  no_coupon_expiring_soon: 'no unused coupon expires soon',
  ordered_since_return: 'ordered since coming back',
  not_one_order: '{orders} orders, not exactly one',
  no_stamp_yet: 'no order yet: no stamp to show',
  stamp_card_complete: 'the stamp card is complete',
  tier_nothing_to_say: 'not close to the next tier, no drop soon, no recent move up',
  points_nothing_to_say: 'no points expire within {days} days and the balance is below {min}',
  no_replenishment_due: 'no product due for repurchase (outside the cart)',
  overlays_off: 'the site shows no overlays (max_per_page 0)',
  overlay_gap: 'the gap between overlays: another can show in {minutes} minutes',
  outranked: 'campaign {name} comes first',
};

/** The reason in English words. */
export function reasonWords(reason: Reason): string {
  return ENGLISH[reason.code].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = reason.values?.[name];
    if (name === 'fact') return FACT_WORDS[value as RangeFactT] ?? String(value);
    if (name === 'what') return DATA_WORDS[value as ShopDataT] ?? String(value);
    return String(value ?? '');
  });
}
