import { z } from 'zod';
import { EpochMs, Money, Text } from './primitives';

/** What a shop's back office knows of a member and sends from its server
 * (POST /v1/admin/sites/:site/events, with the event shape of /v1/collect and a `user_id`):
 * points, membership tier, coupons. Each replaces what the profile held (points and tier: the
 * latest `ts` wins) or adds to it (coupons). Times are epoch milliseconds or ISO 8601 date-times
 * with an offset. Survey answers come from the browser (the survey widget). */

/** Epoch ms, or e.g. 2026-12-31T23:59:59+09:00. */
export const ShopTime = z.union([EpochMs, z.iso.datetime({ offset: true, message: 'must be epoch milliseconds or an ISO 8601 date-time with offset' })]);

const Amount = Money;

export const SHOP_EVENT_PROPS = {
  /** The member's points now, and what of them expires when. */
  points_updated: z
    .object({
      balance: Amount,
      expiring: z.array(z.object({ amount: Amount, expires_at: ShopTime }).loose()).max(50, 'must hold at most 50 entries').default([]),
    })
    .loose(),
  /** The member's tier, the next one and the spend still needed for it, and the date the
   * current tier drops (e.g. at the yearly re-evaluation) if it will. */
  tier_updated: z
    .object({
      tier: Text(64).min(1, 'is required'),
      next_tier: Text(64).min(1).optional(),
      amount_to_next: Amount.optional(),
      drops_at: ShopTime.optional(),
    })
    .loose(),
  coupon_issued: z.object({ code: Text(64).min(1, 'is required'), benefit: Text(200).min(1, 'is required'), expires_at: ShopTime.optional() }).loose(),
  coupon_redeemed: z.object({ code: Text(64).min(1, 'is required') }).loose(),
  /** The member's stamps in the shop's own stamp programme (the stamp_mission card with
   * `stamps_from: "shop"` shows this, not Touchpoint's count of orders). */
  stamps_updated: z.object({ stamps: z.number().int('must be a whole number').min(0).max(1000) }).loose(),
  /** From the survey widget: one answer (or several, for a multiple choice) to one question. */
  survey_answer: z
    .object({
      survey: Text(64).min(1, 'is required'),
      question: Text(64).min(1, 'is required'),
      answer: z.union([Text(200), z.array(Text(200)).min(1).max(20)]),
    })
    .loose(),
} as const;

/** Accepted only from the shop's server (site token): a browser could claim any balance. */
export const SERVER_ONLY_EVENTS: readonly string[] = ['points_updated', 'tier_updated', 'coupon_issued', 'coupon_redeemed', 'stamps_updated'];
