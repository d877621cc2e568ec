import { z } from 'zod';
import { Audience } from './audience';
import { CampaignId } from './campaign';
import { Text } from './primitives';

/** Hand-offs: moments in a member's journey that belong to the shop's own messaging (KakaoTalk
 * AlimTalk, SMS, email) rather than the site. When a member reaches one, Touchpoint POSTs it to
 * the shop's `handoff_url` through the webhook outbox (edge/handoff); the shop's sender writes the
 * message. Each hand-off keeps a holdout, so the report shows what its messages earned. Only
 * members (a `user_id` the shop knows) are handed off: a guest has no address to write to. */

const Minutes = z.number().int().min(10).max(30 * 24 * 60);
const DaysBefore = z.number().int().min(0).max(90);

/** When a member enters the hand-off's audience. */
export const HandoffTrigger = z.discriminatedUnion('kind', [
  /** A cart left this long with no purchase since it last changed. */
  z.strictObject({ kind: z.literal('cart_abandoned'), after_minutes: Minutes.default(60) }),
  /** A bought product's repurchase date (last purchase + its learned cycle) is this many days ahead. */
  z.strictObject({ kind: z.literal('repurchase_due'), days_before: DaysBefore.default(3) }),
  /** A customer turns at risk: no order for the site's `stages.at_risk_days` (one order) or
   * `stages.repurchase_window_days` (more). */
  z.strictObject({ kind: z.literal('at_risk') }),
  /** A member is this many days from turning dormant (not seen for `stages.dormant_days`): the
   * Korean "휴면 전환 예정" notice. */
  z.strictObject({ kind: z.literal('dormant_soon'), days_before: z.number().int().min(1).max(90).default(7) }),
  /** An unredeemed coupon (from the shop's `coupon_issued`) expires this many days ahead. */
  z.strictObject({ kind: z.literal('benefit_expiring'), days_before: DaysBefore.default(3) }),
]);
export type HandoffTriggerT = z.infer<typeof HandoffTrigger>;
export type HandoffKind = HandoffTriggerT['kind'];

/** What else a member must be, in the shop's facts, to be handed off: the campaign audience's
 * fact conditions (edge/contract/audience.ts), inclusive ranges, unknown facts failing a set bound.
 * The on-site conditions of a campaign (stage, device, page, URL, UTM, cart value) do not apply
 * off the site, so they are not taken here. */
export const HandoffAudience = Audience({ stages: [], consent: 'none' })
  .unwrap()
  .pick({
    orders: true,
    days_since_signup: true,
    days_since_first_order: true,
    days_since_last_order: true,
    total_order_value: true,
    average_order_value: true,
    tiers: true,
    amount_to_next_tier: true,
    tier_drops_within_days: true,
    points_balance: true,
    points_expiring: true,
    coupons_expiring: true,
    repurchase_due: true,
    churn_risk: true,
    survey_answers: true,
  })
  .prefault({});
export type HandoffAudienceT = z.infer<typeof HandoffAudience>;

export const Handoff = z.strictObject({
  /** Keys the members, holdout and deliveries of this hand-off: must not change once it has run. */
  id: CampaignId,
  name: Text(200).default(''),
  enabled: z.boolean().default(true),
  trigger: HandoffTrigger,
  /** Shop facts the member must also match when they reach the trigger; by default anyone does. */
  audience: HandoffAudience,
  /** Advertising (offers, reminders to buy) needs the member's marketing consent and is never
   * sent in quiet hours (21:00–08:00 site time); a notice the member must get (dormancy) is not. */
  advertising: z.boolean().default(true),
  /** Share of members who enter the audience but are not handed off, to measure the message. */
  holdout_percent: z.number().min(0).max(50).default(10),
  /** An order within this many days after entering counts as a conversion of the hand-off. */
  conversion_days: z.number().int().min(1).max(60).default(7),
});
export type HandoffT = z.infer<typeof Handoff>;

/** At most this many hand-offs are sent to one member in `days` days, across all hand-offs. */
export const HandoffCaps = z.strictObject({
  per_shopper: z.number().int().min(1).max(50).default(2),
  days: z.number().int().min(1).max(90).default(7),
});

/** The ready journey's hand-offs (the journey map's off-site touch points). They act only once
 * the shop sets a `handoff_url`. */
export const DEFAULT_HANDOFFS: z.input<typeof Handoff>[] = [
  { id: 'cart-abandoned-1h', name: '장바구니 이탈 1시간 / Cart left for an hour', trigger: { kind: 'cart_abandoned', after_minutes: 60 } },
  { id: 'repurchase-due', name: '재구매 시점 / Due to repurchase', trigger: { kind: 'repurchase_due', days_before: 3 } },
  { id: 'at-risk', name: '이탈 위험 / At risk', trigger: { kind: 'at_risk' } },
  { id: 'dormant-in-7-days', name: '휴면 전환 예정 / Dormant in 7 days', trigger: { kind: 'dormant_soon', days_before: 7 }, advertising: false, holdout_percent: 0 },
  { id: 'benefit-expiring', name: '혜택 소멸 예정 / Benefit expiring', trigger: { kind: 'benefit_expiring', days_before: 3 } },
];

/** What the shop's `handoff_url` receives, one member and one moment per request. */
export interface HandoffWebhookBody {
  type: 'handoff';
  /** The delivery id (also `webhook-id`): the same for this member and moment however often it is sent. */
  id: string;
  site: string;
  handoff: { id: string; name: string; kind: HandoffKind; advertising: boolean };
  /** When the member entered the audience (ISO 8601). */
  at: string;
  member: { user_id: string; marketing_consent: boolean };
  /** What the message can speak of: the cart, the product due, the coupon expiring, the last order. */
  data: Record<string, unknown>;
}
