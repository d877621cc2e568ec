import { z } from 'zod';
import { HttpUrl, Money, Text } from './primitives';

/** What the edge hands a widget in `Decision.props`. Copy comes in both languages so the widget
 * picks the page's; any key missing falls back to the widget's built-in Korean/English default. */
export const CopyStrings = z.record(z.string().max(64), Text(1000));
export const Copy = z.object({ ko: CopyStrings.default({}), en: CopyStrings.default({}) }).prefault({});

const Colour = z.string().regex(/^#[0-9a-fA-F]{3,8}$/, 'must be a hex colour such as #1a73e8');
export const Theme = z
  .object({
    primary: Colour.default('#111827'),
    on_primary: Colour.default('#ffffff'),
    background: Colour.default('#ffffff'),
    text: Colour.default('#111827'),
    radius: z.number().min(0).max(32).default(12),
    font: Text(200).default('system-ui, -apple-system, "Apple SD Gothic Neo", "Malgun Gothic", sans-serif'),
  })
  .prefault({});

const RecommendationStrategy = z.enum(['viewed_together', 'bought_together', 'trending', 'recently_viewed', 'personal']);

export const ProductCard = z.object({
  item_id: Text(128),
  name: Text(300),
  price: Money.optional(),
  currency: Text(3).optional(),
  quantity: z.number().int().min(0).optional(),
  image_url: HttpUrl.optional(),
  url: HttpUrl.optional(),
});
export type ProductCardT = z.infer<typeof ProductCard>;

/** Words a person reads in both languages, from config (survey questions and choices). */
export const BiText = (max: number) => z.strictObject({ ko: Text(max).min(1, 'is required'), en: Text(max).min(1, 'is required') });

const QuestionId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 lowercase letters, digits, "-" or "_"');

/** One survey question, as the campaign's settings hold it and the widget receives it. Answers
 * (`survey_answer` events) are checked on the edge against it (edge/surveys/check-answers.ts). */
export const SurveyQuestion = z.discriminatedUnion('kind', [
  z.strictObject({
    id: QuestionId,
    kind: z.literal('choice'),
    text: BiText(300),
    /** Several choices may be picked. */
    multiple: z.boolean().default(false),
    choices: z
      .array(z.strictObject({ id: QuestionId, label: BiText(200) }))
      .min(2, 'needs at least 2 choices')
      .max(10, 'must hold at most 10 choices'),
    /** Choices that count as a negative answer (a churn reason): sent to the hand-off webhook. */
    negative_choices: z.array(QuestionId).max(10).default([]),
    required: z.boolean().default(true),
  }),
  z.strictObject({
    id: QuestionId,
    kind: z.literal('scale'),
    text: BiText(300),
    /** Words under the ends of the 0–10 scale. */
    low_label: BiText(60).optional(),
    high_label: BiText(60).optional(),
    /** Scores at or below this are negative (NPS: 6); null: none is. */
    negative_at_most: z.number().int().min(0).max(10).nullable().default(null),
    required: z.boolean().default(true),
  }),
  z.strictObject({
    id: QuestionId,
    kind: z.literal('text'),
    text: BiText(300),
    /** Longest answer taken, in characters (the `survey_answer` contract caps it at 200). */
    max_length: z.number().int().min(1).max(200).default(200),
    required: z.boolean().default(false),
  }),
]);
export type SurveyQuestionT = z.infer<typeof SurveyQuestion>;

const Offer = z.object({ code: Text(64).optional() }).optional();

const Base = { copy: Copy, theme: Theme };

/** A time the widget counts down to or names (epoch ms). */
const At = z.number().int().min(0);
/** A coupon as the shop's server issued it (`coupon_issued`). */
/** Words from config in both languages; the widget picks the page's. */
const Words = z.object({ ko: Text(200), en: Text(200) });
const Coupon = z.object({ code: Text(64), benefit: Text(200).optional(), expires_at: At.optional() });

/** The journey's touch points (issue 16). Tier, points and stamp figures are the shop's own, as
 * its server last sent them; the edge decides none of these when that data is missing or stale. */
const TOUCHPOINT_PROPS = {
  welcome: z.object({ ...Base, cta_url: HttpUrl.optional(), benefit: Text(200).optional(), offer: Coupon.optional() }),
  benefit_expiry: z.object({ ...Base, cta_url: HttpUrl.optional(), coupon: Coupon.extend({ expires_at: At }) }),
  second_purchase: z.object({ ...Base, cta_url: HttpUrl.optional(), mode: z.enum(['first_order', 'wakeup']), offer: Coupon.optional() }),
  stamp_mission: z.object({
    ...Base,
    cta_url: HttpUrl.optional(),
    /** Orders done (stamps collected) and the stamps the card has. */
    stamps: z.number().int().min(0),
    goal: z.number().int().min(1),
    /** What a stamp brings, by the order that earns it. */
    rewards: z.array(z.object({ at: z.number().int().min(1), benefit: Words })).max(20),
  }),
  membership_tier: z.object({
    ...Base,
    cta_url: HttpUrl.optional(),
    /** close: near the next tier; drop: the tier ends on `drops_at`; up: just moved up. */
    mode: z.enum(['close', 'drop', 'up']),
    tier: Text(64),
    next_tier: Text(64).optional(),
    amount_to_next: Money.optional(),
    drops_at: At.optional(),
    currency: Text(3).default('KRW'),
    /** What the tier in question brings (the next one for close, the current one otherwise). */
    benefit: Words.optional(),
    /** When the shop's server last said this (epoch ms). */
    as_of: At,
  }),
  points: z.object({
    ...Base,
    cta_url: HttpUrl.optional(),
    mode: z.enum(['expiring', 'unused']),
    balance: Money,
    expiring: z.object({ amount: Money, expires_at: At }).optional(),
    as_of: At,
  }),
  replenishment: z.object({
    ...Base,
    item: ProductCard,
    /** When the shopper's usual would run out: last purchase + the product's cycle. */
    due_at: At,
    /** Where "add to cart" goes when the page does not take the `touchpoint:add-to-cart` event itself. */
    add_to_cart_url: HttpUrl.optional(),
    cart_url: HttpUrl.optional(),
  }),
} as const;

/** Props per widget. Copy keys each widget reads are listed in its folder's README/defaults. */
export const WIDGET_PROPS = {
  signup_benefit: z.object({
    ...Base,
    signup_url: HttpUrl,
    benefit: z.object({ kind: z.enum(['coupon', 'points', 'free_shipping']), amount: Text(64).optional() }),
    /** Show an email field (and the separate, optional marketing-consent checkbox). */
    email_capture: z.boolean().default(false),
    privacy_url: HttpUrl.optional(),
  }),
  cart_reminder: z.object({
    ...Base,
    cart_url: HttpUrl,
    items: z.array(ProductCard).max(50),
    total: Money,
    currency: Text(3).default('KRW'),
    offer: Offer,
  }),
  recommendations: z.object({
    ...Base,
    strategy: RecommendationStrategy,
    limit: z.number().int().min(1).max(24).default(8),
    /** The product on this page, excluded from results and the seed of viewed/bought together. */
    item_id: Text(128).optional(),
    layout: z.enum(['inline', 'drawer']).default('inline'),
    /** The shelf, filled on the edge as the decision is made (what /v1/recommendations would
     * answer), so it shows without a second round trip. Absent, or when the page's slot asks for
     * another strategy or size, the widget asks /v1/recommendations itself. */
    items: z.array(ProductCard).max(24).optional(),
    /** The strategies that filled `items`, in order. */
    sources: z.array(z.enum([...RecommendationStrategy.options, 'catalog'])).optional(),
  }),
  review_prompt: z.object({
    ...Base,
    transaction_id: Text(128).optional(),
    items: z.array(ProductCard).min(1).max(20),
    allow_text: z.boolean().default(true),
  }),
  marketing_consent: z.object({ ...Base, privacy_url: HttpUrl.optional() }),
  interested_product: z.object({ ...Base, item: ProductCard, views: z.number().int().min(0) }),
  welcome_back: z.object({ ...Base, offer: Offer, cta_url: HttpUrl.optional() }),
  survey: z.object({
    ...Base,
    /** The campaign id: `survey` of the answers. */
    survey: Text(64),
    questions: z.array(SurveyQuestion).min(1).max(3),
  }),
  referral: z.object({
    ...Base,
    /** The shopper's own invite link: the shop page with `tp_ref=<code>`, nothing personal in it. */
    link: HttpUrl,
    code: Text(32),
    /** Friends who came through the link and signed up, and who placed a first order. */
    friends_joined: z.number().int().min(0),
    friends_ordered: z.number().int().min(0),
  }),
  ...TOUCHPOINT_PROPS,
} as const;

export type WidgetPropsOf<W extends keyof typeof WIDGET_PROPS> = z.infer<(typeof WIDGET_PROPS)[W]>;
