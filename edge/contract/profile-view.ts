import { z } from 'zod';
import { Stage } from './audience';
import { WidgetName } from './decision';

/** Why a campaign is not decided for a shopper, as a code and its values: the profile view answers
 * both these and the reason in English words (edge/decide/reasons.ts); the admin words the code
 * in the marketer's language. Values are the figures the words quote. */
export const ReasonCode = z.enum([
  'switched_off',
  'control_group',
  'before_schedule',
  'after_schedule',
  'stage_not_in_audience',
  'members_only',
  'guests_only',
  'needs_marketing_consent',
  'needs_analytics_consent',
  'device_not_targeted',
  'page_type_not_targeted',
  'url_not_included',
  'url_excluded',
  'utm_mismatch',
  'cart_value_below',
  'cart_value_above',
  'page_views_short',
  'not_return_visit',
  'converted',
  'dismissed_recently',
  'lifetime_cap',
  'daily_cap',
  'session_cap',
  'already_member',
  'cart_empty',
  'nothing_to_review',
  'consented_already',
  'no_interested_product',
  'survey_answered_recently',
  'survey_dismissed_recently',
  'fact_unknown',
  'fact_below',
  'fact_above',
  'tier_not_in_audience',
  'no_tier_drop',
  'points_expiring_short',
  'no_coupon_expiring',
  'no_repurchase_due',
  'survey_not_answered',
  'survey_score_not_answered',
  'shop_data_missing',
  'shop_data_stale',
  'no_coupon_expiring_soon',
  'ordered_since_return',
  'not_one_order',
  'no_stamp_yet',
  'stamp_card_complete',
  'tier_nothing_to_say',
  'points_nothing_to_say',
  'no_replenishment_due',
  'overlays_off',
  'overlay_gap',
  'outranked',
]);
export type ReasonCodeT = z.infer<typeof ReasonCode>;

/** The facts a range in an audience reads (`fact` in a reason's values). */
export const RangeFact = z.enum(['orders', 'days_since_signup', 'days_since_first_order', 'days_since_last_order', 'total_order_value', 'average_order_value', 'amount_to_next_tier', 'points_balance', 'churn_risk']);
export type RangeFactT = z.infer<typeof RangeFact>;

/** What of the shop's server data a touch point needs (`what` in a reason's values). */
export const ShopData = z.enum(['stamps', 'tier', 'points']);
export type ShopDataT = z.infer<typeof ShopData>;

export const ReasonValues = z.record(z.string(), z.union([z.string(), z.number()]));
export type ReasonValuesT = z.infer<typeof ReasonValues>;

/** One campaign in the profile view: whether it could be decided for the shopper on that page now. */
export const Eligibility = z.object({
  campaign: z.string(),
  name: z.string(),
  template: WidgetName,
  eligible: z.boolean(),
  /** Why not, in English words; null when eligible. */
  reason: z.string().nullable(),
  reason_code: ReasonCode.nullable(),
  reason_values: ReasonValues,
  /** Eligible and the one decide would pick on that page now: the first eligible overlay by
   * priority while the site's overlay gap allows one, the first eligible campaign of its slot. */
  shows_now: z.boolean(),
  /** Eligible but not picked now (overlays_off, overlay_gap, outranked), as the reason fields. */
  held_back: z.string().nullable(),
  held_back_code: ReasonCode.nullable(),
  held_back_values: ReasonValues,
});
export type EligibilityT = z.infer<typeof Eligibility>;

/** GET /v1/admin/sites/:site/profile — the keys the admin's shopper lookup reads (the answer holds
 * more: README, "The profile view"). */
export const ProfileView = z.object({
  visitor_id: z.string(),
  stage: Stage,
  control_group: z.boolean(),
  /** The shopper's visit still going (an event within LIMITS.sessionIdleMs), read as on its next
   * page; null: read as at the start of a new visit. */
  visit: z.object({ session_id: z.string(), page_views: z.number(), last_seen: z.number() }).nullable(),
  facts: z.object({
    orders: z.number(),
    days_since_last_order: z.number().nullable(),
    total_order_value: z.number(),
    tier: z.string().nullable(),
    points_balance: z.number().nullable(),
    coupons: z.array(z.object({ code: z.string() })),
    churn: z.object({ risk: z.number() }).nullable(),
  }),
  cart: z.array(z.object({ item_id: z.string() })),
  eligibility: z.array(Eligibility),
});
export type ProfileViewT = z.infer<typeof ProfileView>;
