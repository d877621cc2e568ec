import { z } from 'zod';
import { PageType, type PageTypeT } from './event';
import { Text } from './primitives';

/** Who a campaign is for: the shopper's stage, membership, consent, device, page and traffic
 * source, and the facts the shop knows of them (orders, sign-up, tier, points, coupons,
 * repurchase, churn risk, survey answers). Every condition left at its default matches anyone;
 * every range is inclusive at both ends, and a range with a bound set does not match a shopper
 * the fact is unknown for (days since sign-up of a shopper who never signed up). */

export const Stage = z.enum(['prospect', 'new', 'active', 'at_risk', 'dormant', 'wakeup']);
export type StageT = z.infer<typeof Stage>;

export const Device = z.enum(['mobile', 'tablet', 'desktop']);
export type DeviceT = z.infer<typeof Device>;

/** An inclusive range; null leaves that end open. */
export const Range = (max = 1e13) =>
  z
    .strictObject({ min: z.number().min(0).max(max).nullable().default(null), max: z.number().min(0).max(max).nullable().default(null) })
    .prefault({})
    .refine((r) => r.min === null || r.max === null || r.min <= r.max, { message: 'min must not be above max', path: ['min'] });
export type RangeT = z.infer<ReturnType<typeof Range>>;

/** URL patterns: `*` matches anything. A pattern starting with "/" is matched against the path
 * (and the query when it holds "?"); any other against the whole URL. */
const UrlPattern = z.string().min(1).max(512);
const Days = z.number().min(0).max(3650);

export interface AudienceDefaults {
  stages: readonly StageT[];
  consent: 'none' | 'analytics' | 'marketing';
  membership?: 'any' | 'member' | 'guest';
  pageTypes?: readonly PageTypeT[];
  /** Defaults of the facts a template is about (the journey's touch points, issue 16). */
  orders?: { min?: number; max?: number };
  days_since_signup?: { min?: number; max?: number };
  days_since_last_order?: { min?: number; max?: number };
  coupons_expiring?: { within_days: number };
  repurchase_due?: { days_before: number; days_after: number };
}

/** A range whose default is the template's (a bound it leaves out is open). */
const RangeOr = (max: number, d: { min?: number; max?: number } | undefined) => (d ? Range(max).prefault({ min: d.min ?? null, max: d.max ?? null }) : Range(max));

export const Audience = (d: AudienceDefaults) =>
  z
    .strictObject({
      stages: z.array(Stage).max(6).default([...d.stages]),
      membership: z.enum(['any', 'member', 'guest']).default(d.membership ?? 'any'),
      /** Consent category the shopper must have granted. 'marketing' is checked against the
       * request and the profile both. */
      consent: z.enum(['none', 'analytics', 'marketing']).default(d.consent),
      /** Empty: any device. */
      devices: z.array(Device).max(3).default([]),
      /** Empty: any page type. */
      page_types: z.array(PageType).max(9).default([...(d.pageTypes ?? [])]),
      url_include: z.array(UrlPattern).max(50).default([]),
      url_exclude: z.array(UrlPattern).max(50).default([]),
      /** Matched against the page URL's utm_* and the session's campaign. Empty: any. */
      utm: z
        .strictObject({
          source: z.array(Text(200)).max(50).default([]),
          medium: z.array(Text(200)).max(50).default([]),
          campaign: z.array(Text(200)).max(50).default([]),
        })
        .prefault({}),
      cart_value: Range(),
      /** Orders placed (refunded ones count: the shopper did buy). */
      orders: RangeOr(1e13, d.orders),
      /** Whole days since the shopper's first `sign_up` (browser or the shop's server). */
      days_since_signup: RangeOr(3650, d.days_since_signup),
      days_since_first_order: Range(3650),
      days_since_last_order: RangeOr(3650, d.days_since_last_order),
      /** Revenue of the shopper's orders, refunds taken off, in the shop's currency. */
      total_order_value: Range(),
      average_order_value: Range(),
      /** Membership tiers (from `tier_updated`); empty: any tier, or none. */
      tiers: z.array(Text(64)).max(50).default([]),
      /** Spend still needed for the next tier, as the shop's server last said. */
      amount_to_next_tier: Range(),
      /** A tier that drops within this many days (the server's `drops_at`). */
      tier_drops_within_days: Days.nullable().default(null),
      points_balance: Range(),
      /** At least `min_amount` points expiring within `within_days` days. */
      points_expiring: z.strictObject({ within_days: Days, min_amount: z.number().min(0).default(1) }).nullable().default(null),
      /** An unredeemed coupon expiring within `within_days` days. */
      coupons_expiring: z.strictObject({ within_days: Days }).nullable().default(() => (d.coupons_expiring ? { ...d.coupons_expiring } : null)),
      /** A product the shopper bought whose repurchase date (last purchase + its cycle) is at most
       * `days_before` days ahead or at most `days_after` days past. */
      repurchase_due: z.strictObject({ days_before: Days.default(3), days_after: Days.default(14) }).nullable().default(() => (d.repurchase_due ? { ...d.repurchase_due } : null)),
      /** Personal churn risk, 0 to 1 (edge/decide/churn.ts). */
      churn_risk: Range(1),
      /** Answers the shopper gave (`survey_answer` events; `survey` is the survey campaign's id):
       * each entry matches when the latest answer to its question is one of `answers`, or (a 0–10
       * scale) a score inside `score`, inclusive. */
      survey_answers: z
        .array(
          z
            .strictObject({
              survey: Text(64).min(1),
              question: Text(64).min(1),
              answers: z.array(Text(200)).max(50).default([]),
              score: z
                .strictObject({ min: z.number().min(0).max(10).nullable().default(null), max: z.number().min(0).max(10).nullable().default(null) })
                .refine((r) => r.min === null || r.max === null || r.min <= r.max, { message: 'min must not be above max', path: ['min'] })
                .nullable()
                .default(null),
            })
            .refine((s) => s.answers.length > 0 || s.score !== null, { message: 'needs answers or a score range', path: ['answers'] }),
        )
        .max(10)
        .default([]),
    })
    .prefault({});
export type AudienceT = z.infer<ReturnType<typeof Audience>>;
