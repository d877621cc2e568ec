import { z } from 'zod';
import { Audience, type AudienceDefaults } from './audience';
import { Trigger, type TriggerT, type WidgetNameT } from './decision';
import type { PageTypeT } from './event';
import { isHttpUrl, Text } from './primitives';
import { CopyStrings, SurveyQuestion } from './widget-props';

/** A campaign: one widget module (its template) shown to an audience, with its own schedule,
 * trigger, caps, priority, holdout, variants and settings. Several campaigns may share a
 * template (two signup offers for two traffic sources). A template's defaults (placement,
 * audience, trigger, caps, copy) and its settings live in TEMPLATES below; adding a template is
 * adding its widget module, its name to WidgetName and one entry here. */

/** Colours reach the widget as CSS custom properties, so only hex is taken: nothing that could
 * close a declaration. */
const Color = z.string().regex(/^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, 'must be a hex colour such as #1a73e8');
const FontFamily = z
  .string()
  .max(200, 'must be at most 200 characters')
  .regex(/^[\p{L}\p{N} ,'"_-]*$/u, 'may only hold font names, spaces, commas, quotes and "-"');

/** A link in config: an absolute http(s) URL or a path on the shop (`/signup`), which the edge
 * resolves against the page the widget shows on. */
export const LinkUrl = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  // Browsers read a backslash as "/" in URLs, so a path holding one could leave the shop.
  .refine((v) => (/^\/(?!\/)/.test(v) && !v.includes('\\')) || isHttpUrl(v), 'must be an http(s) URL or a path starting with "/"');

/** A variant's changes to the site theme (the site theme is widget-props' Theme). */
export const ThemeOverrides = z.strictObject({
  primary: Color.optional(),
  on_primary: Color.optional(),
  background: Color.optional(),
  text: Color.optional(),
  /** Corner radius in CSS pixels. */
  radius: z.number().min(0).max(32).optional(),
  font: FontFamily.optional(),
});
export type ThemeOverridesT = z.infer<typeof ThemeOverrides>;

/** A variant's words per language, by the widget's copy keys (widgets/<name>/copy.ts). A key
 * left out falls back to the widget's built-in Korean or English text. */
export const VariantCopy = z.strictObject({ ko: CopyStrings.default({}), en: CopyStrings.default({}) });
export type VariantCopyT = z.infer<typeof VariantCopy>;

const Slug = (max: number) => z.string().regex(new RegExp(`^[a-z0-9][a-z0-9_-]{0,${max - 1}}$`), `must be 1-${max} lowercase letters, digits, "-" or "_"`);

export const Variant = z.strictObject({
  id: Slug(32),
  /** Relative share of shoppers who get this variant (A/B copy). 0 pauses it. */
  weight: z.number().min(0).max(1000).default(1),
  copy: VariantCopy.prefault({}),
  /** Overrides of the site theme for this variant. */
  theme: ThemeOverrides.prefault({}),
});
export type VariantT = z.infer<typeof Variant>;

/** A campaign id: it keys the shopper's history, holdout group and report rows, so it must not
 * change once a campaign has run. */
export const CampaignId = Slug(64);

/** A date-time with its offset, e.g. 2026-12-01T00:00:00+09:00. */
const When = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset, e.g. 2026-12-01T00:00:00+09:00' });

const CapCount = z.number().int('must be a whole number').min(1, 'must be at least 1 (null removes the cap)').max(1000);

/** How long after a campaign's click or impression a conversion is credited to it (reports). */
export const AttributionWindows = z.strictObject({
  click_days: z.number().min(0).max(90).default(5),
  impression_days: z.number().min(0).max(90).default(1),
});

export interface Caps {
  per_session: number | null;
  per_day: number | null;
  lifetime: number | null;
  dismiss_cooldown_hours: number;
  never_after_conversion: boolean;
}

export interface TemplateDefaults extends AudienceDefaults {
  placement: 'overlay' | 'inline';
  trigger: TriggerT;
  caps: Caps;
  priority: number;
  copy: VariantCopyT;
}

function campaignOf<T extends WidgetNameT, S extends z.ZodType>(template: T, d: TemplateDefaults, settings: S) {
  return z.strictObject({
    id: CampaignId,
    /** What marketers call it (reports, the admin). */
    name: Text(100).min(1, 'is required'),
    template: z.literal(template),
    enabled: z.boolean().default(true),
    /** 'inline' fills a `<div data-touchpoint="<slot>">` on the page; 'overlay' is a modal, sheet or drawer. */
    placement: z.enum(['overlay', 'inline']).default(d.placement),
    /** The `data-touchpoint` name an inline placement fills. */
    slot: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lowercase letters, digits, "-" or "_"').default(template),
    schedule: z
      .strictObject({ start: When.nullable().default(null), end: When.nullable().default(null) })
      .prefault({})
      .refine((s) => s.start === null || s.end === null || Date.parse(s.start) < Date.parse(s.end), { message: 'start must be before end', path: ['end'] }),
    audience: Audience(d),
    trigger: Trigger.default(() => structuredClone(d.trigger)),
    caps: z
      .strictObject({
        /** Exposures (impressions, or holdout decisions) per browser session; null: no cap. */
        per_session: CapCount.nullable().default(d.caps.per_session),
        /** Exposures per day of the site's time zone (the count starts again at local midnight). */
        per_day: CapCount.nullable().default(d.caps.per_day),
        lifetime: CapCount.nullable().default(d.caps.lifetime),
        /** After a dismissal, nothing of this campaign for this long. */
        dismiss_cooldown_hours: z.number().min(0).max(24 * 365).default(d.caps.dismiss_cooldown_hours),
        /** Never again once the shopper converted after seeing it (see TEMPLATE_GOALS). */
        never_after_conversion: z.boolean().default(d.caps.never_after_conversion),
      })
      .prefault({}),
    /** Higher wins when several campaigns could take the same place. */
    priority: z.number().int().min(0).max(1000).default(d.priority),
    /** This campaign's attribution windows (reports); unset: the site's `attribution`. */
    attribution: AttributionWindows.optional(),
    /** Share of eligible shoppers (by a hash of visitor and campaign) who are held out: the
     * decision is recorded, nothing is shown, and reports compare them with the rest. */
    holdout_percent: z.number().min(0).max(100).default(10),
    /** Benefit codes this campaign hands out (a sign-up coupon's code, codes issued by the shop's
     * server for it), beside its settings' `offer_code`. A purchase that used one (GA4 `coupon`,
     * order or item level; case ignored) counts as the campaign's redemption and its `discount` as
     * the campaign's benefit cost (report). */
    offer_codes: z.array(Text(64).min(1)).max(50).default([]),
    variants: z
      .array(Variant)
      .min(1, 'needs at least one variant')
      .max(10)
      .default(() => [{ id: 'default', weight: 1, copy: structuredClone(d.copy), theme: {} }])
      .superRefine((variants, ctx) => {
        const seen = new Set<string>();
        variants.forEach((v, i) => {
          if (seen.has(v.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${v.id}" is used by another variant` });
          seen.add(v.id);
        });
        if (variants.length > 0 && !variants.some((v) => v.weight > 0)) ctx.addIssue({ code: 'custom', message: 'at least one variant needs a weight above 0' });
      }),
    /** Settings of this template (links, thresholds, strategy). */
    settings,
  });
}

export const copy = (ko: Record<string, string>, en: Record<string, string>): VariantCopyT => ({ ko, en });

export const ALL_PRESENT = ['prospect', 'new', 'active', 'at_risk', 'wakeup'] as const;
const SHOPPING_PAGES: PageTypeT[] = ['home', 'category', 'product', 'search', 'account', 'other'];
const DEFAULT_CAPS: Caps = { per_session: 1, per_day: 1, lifetime: null, dismiss_cooldown_hours: 72, never_after_conversion: false };

export const SignupBenefitCampaign = campaignOf(
  'signup_benefit',
  {
    placement: 'overlay',
    stages: ['prospect'],
    consent: 'none',
    membership: 'guest',
    pageTypes: SHOPPING_PAGES,
    trigger: { type: 'page_views', count: 3 },
    caps: { ...DEFAULT_CAPS, lifetime: 3, never_after_conversion: true },
    priority: 50,
    copy: copy(
      { title: '지금 가입하면 {benefit}', body: '가입은 1분이면 끝나요. 혜택은 가입 즉시 지급돼요.', cta: '회원가입하고 혜택 받기' },
      { title: 'Join now and get {benefit}', body: 'Signing up takes a minute, and the benefit is yours right away.', cta: 'Sign up and claim it' },
    ),
  },
  z
    .strictObject({
      signup_url: LinkUrl.default('/signup'),
      /** What joining gives; `{benefit}` in the copy names it. */
      benefit: z
        .strictObject({ kind: z.enum(['coupon', 'points', 'free_shipping']).default('coupon'), amount: Text(64).nullable().default('10%') })
        .prefault({}),
      /** An email field with a separate, optional marketing-consent checkbox. */
      email_capture: z.boolean().default(true),
      privacy_url: LinkUrl.nullable().default(null),
    })
    .prefault({}),
);

export const CartReminderCampaign = campaignOf(
  'cart_reminder',
  {
    placement: 'overlay',
    stages: ALL_PRESENT,
    consent: 'marketing',
    pageTypes: SHOPPING_PAGES,
    trigger: { type: 'return_visit' },
    caps: { ...DEFAULT_CAPS, dismiss_cooldown_hours: 24 },
    priority: 80,
    copy: copy(
      { title: '장바구니에 담아둔 상품이 있어요', body: '품절되기 전에 주문을 마무리해 보세요.', cta: '장바구니 보러 가기' },
      { title: 'You left something in your cart', body: 'Finish your order before these sell out.', cta: 'Go to my cart' },
    ),
  },
  z
    .strictObject({
      cart_url: LinkUrl.default('/cart'),
      /** A coupon code to offer with the reminder; none by default. */
      offer_code: Text(64).nullable().default(null),
    })
    .prefault({}),
);

export const RecommendationsCampaign = campaignOf(
  'recommendations',
  {
    placement: 'inline',
    stages: ['prospect', 'new', 'active', 'at_risk', 'dormant', 'wakeup'],
    consent: 'none',
    trigger: { type: 'immediate' },
    caps: { per_session: null, per_day: null, lifetime: null, dismiss_cooldown_hours: 0, never_after_conversion: false },
    priority: 10,
    // Titles follow the strategy (title_viewed_together, ...): the widget's own copy.
    copy: copy({}, {}),
  },
  z
    .strictObject({
      strategy: z.enum(['viewed_together', 'bought_together', 'trending', 'recently_viewed', 'personal']).default('viewed_together'),
      limit: z.number().int().min(1).max(24).default(8),
    })
    .prefault({}),
);

export const ReviewPromptCampaign = campaignOf(
  'review_prompt',
  {
    placement: 'overlay',
    stages: ['new', 'active', 'at_risk', 'wakeup'],
    consent: 'none',
    pageTypes: SHOPPING_PAGES,
    trigger: { type: 'time_on_page', seconds: 3 },
    caps: DEFAULT_CAPS,
    priority: 60,
    copy: copy(
      { title: '구매하신 상품은 만족스러우셨나요?', body: '별점 한 번이면 충분해요. 다른 고객에게 큰 도움이 돼요.' },
      { title: 'How did you like your purchase?', body: 'One tap is enough, and it really helps other shoppers.' },
    ),
  },
  z
    .strictObject({
      /** Ask this many days after the purchase... */
      days_after_purchase: z.number().min(0).max(365).default(7),
      /** ...or this many days after an `order_delivered` server event, whichever comes first. */
      days_after_delivery: z.number().min(0).max(365).default(1),
      /** Orders older than this are not asked about. */
      max_order_age_days: z.number().min(1).max(3650).default(90),
      max_items: z.number().int().min(1).max(10).default(3),
      allow_text: z.boolean().default(true),
    })
    .prefault({}),
);

export const MarketingConsentCampaign = campaignOf(
  'marketing_consent',
  {
    placement: 'overlay',
    stages: ALL_PRESENT,
    consent: 'none',
    pageTypes: SHOPPING_PAGES,
    trigger: { type: 'scroll_depth', percent: 50 },
    caps: { ...DEFAULT_CAPS, lifetime: 2, dismiss_cooldown_hours: 168, never_after_conversion: true },
    priority: 30,
    copy: copy(
      { title: '할인 소식을 가장 먼저 받아보세요', body: '광고성 정보 수신에 동의하시면 동의 회원 전용 쿠폰과 특가 소식을 보내드려요. 언제든 철회할 수 있어요.' },
      { title: 'Be the first to hear about deals', body: 'Opt in to marketing messages for subscriber-only coupons and early sale alerts. Unsubscribe anytime.' },
    ),
  },
  z.strictObject({ privacy_url: LinkUrl.nullable().default(null) }).prefault({}),
);

export const InterestedProductCampaign = campaignOf(
  'interested_product',
  {
    placement: 'overlay',
    stages: ALL_PRESENT,
    consent: 'marketing',
    pageTypes: SHOPPING_PAGES,
    trigger: { type: 'exit_intent', min_dwell_seconds: 5, mobile_fallback_seconds: 30 },
    caps: { ...DEFAULT_CAPS, lifetime: 3, dismiss_cooldown_hours: 48 },
    priority: 40,
    copy: copy(
      { title: '아직 고민 중이신가요?', body: '{views}번이나 보신 상품이에요. 지금 다시 확인해 보세요.', cta: '상품 다시 보기' },
      { title: 'Still thinking it over?', body: "You've looked at this {views} times. Take another look.", cta: 'View product' },
    ),
  },
  z
    .strictObject({
      /** Views of one product (without buying it) that make a shopper interested. */
      min_views: z.number().int().min(1).max(100).default(3),
      lookback_days: z.number().min(1).max(365).default(30),
    })
    .prefault({}),
);

export const WelcomeBackCampaign = campaignOf(
  'welcome_back',
  {
    placement: 'overlay',
    stages: ['wakeup'],
    consent: 'marketing',
    pageTypes: SHOPPING_PAGES,
    trigger: { type: 'immediate' },
    caps: { ...DEFAULT_CAPS, lifetime: 2, never_after_conversion: true },
    priority: 90,
    copy: copy(
      { title: '다시 찾아주셔서 반가워요!', body: '그동안 새로 들어온 상품과 혜택을 준비해 두었어요.', cta: '새로운 상품 보러 가기' },
      { title: 'Welcome back!', body: "We've saved some new arrivals and a little something for you.", cta: "See what's new" },
    ),
  },
  z
    .strictObject({
      cta_url: LinkUrl.default('/'),
      /** A coupon code to welcome them with; none by default. */
      offer_code: Text(64).nullable().default(null),
    })
    .prefault({}),
);

/** The brand NPS question: 0–10, 6 or less is a detractor (negative). */
export const NPS_QUESTION = {
  id: 'nps',
  kind: 'scale',
  text: { ko: '이 쇼핑몰을 친구나 지인에게 추천할 가능성은 얼마나 되나요?', en: 'How likely are you to recommend us to a friend?' },
  low_label: { ko: '전혀 아니다', en: 'Not at all likely' },
  high_label: { ko: '매우 그렇다', en: 'Extremely likely' },
  negative_at_most: 6,
  required: true,
} as const;

export const SurveyCampaign = campaignOf(
  'survey',
  {
    placement: 'overlay',
    stages: ['new', 'active', 'at_risk', 'wakeup'],
    consent: 'none',
    pageTypes: SHOPPING_PAGES,
    trigger: { type: 'time_on_page', seconds: 5 },
    // Dismissals keep it away for its recontact period (settings), not only this cooldown.
    caps: { ...DEFAULT_CAPS, lifetime: null },
    priority: 20,
    copy: copy(
      { title: '잠깐, 의견을 들려주세요', body: '30초면 끝나요. 더 나은 쇼핑몰을 만드는 데 쓰여요.' },
      { title: 'Got a moment?', body: 'It takes 30 seconds and helps us do better.' },
    ),
  },
  z
    .strictObject({
      /** One to three questions; ids are the `question` of the answers and must not change once asked. */
      questions: z
        .array(SurveyQuestion)
        .min(1, 'needs at least 1 question')
        .max(3, 'must hold at most 3 questions')
        .default(() => [structuredClone(NPS_QUESTION) as z.input<typeof SurveyQuestion> as never])
        .superRefine((questions, ctx) => {
          const seen = new Set<string>();
          questions.forEach((q, i) => {
            if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${q.id}" is used by another question` });
            seen.add(q.id);
            if (q.kind === 'choice') {
              const ids = new Set(q.choices.map((c) => c.id));
              if (ids.size !== q.choices.length) ctx.addIssue({ code: 'custom', path: [i, 'choices'], message: 'choice ids must be distinct' });
              q.negative_choices.forEach((n, j) => ids.has(n) || ctx.addIssue({ code: 'custom', path: [i, 'negative_choices', j], message: `"${n}" is not one of its choices` }));
            }
          });
        }),
      /** A shopper who answered (or dismissed) it is not asked again, and their answers are not
       * taken again, for this many days; null: once ever. */
      recontact_days: z.number().int().min(1).max(3650).nullable().default(90),
      /** Negative answers (a scale at or below `negative_at_most`, a `negative_choices` pick) go to
       * the site's `handoff_url` (README, "Surveys"). */
      negative_to_webhook: z.boolean().default(true),
    })
    .prefault({}),
);

export const ReferralCampaign = campaignOf(
  'referral',
  {
    placement: 'inline',
    stages: ['new', 'active', 'at_risk', 'wakeup'],
    consent: 'none',
    membership: 'member',
    trigger: { type: 'immediate' },
    caps: { per_session: null, per_day: null, lifetime: null, dismiss_cooldown_hours: 168, never_after_conversion: false },
    priority: 15,
    copy: copy(
      { title: '친구를 초대하고 함께 혜택 받으세요', body: '내 초대 링크로 친구가 가입하고 첫 구매를 하면 두 분 모두에게 혜택을 드려요.' },
      { title: 'Invite a friend, you both get a treat', body: 'When a friend joins through your link and places a first order, you both get a benefit.' },
    ),
  },
  z
    .strictObject({
      /** The shop page the invite link opens (`tp_ref=<code>` is added to it). */
      landing_url: LinkUrl.default('/'),
      /** Friends' sign-ups and first orders go to the site's `handoff_url`, so the shop can pay the reward. */
      rewards_to_webhook: z.boolean().default(true),
    })
    .prefault({}),
);

// ---- The journey's touch points (issue 16): welcome, benefit expiry, second purchase, stamps,
// membership tier, points, replenishment. Tier and points cards show only what the shop's server
// sent (`tier_updated`, `points_updated`): a campaign is not decided when that is missing or older
// than its `max_data_age_hours`, so a wrong balance never reaches the screen.

/** How old (hours since the shop's server last sent it) tier or points data may be and still show. */
const MaxDataAgeHours = z.number().min(1).max(24 * 365).default(72);
const MEMBER_STAGES = ['new', 'active', 'at_risk', 'wakeup'] as const;
// Members' own data (tier, points): from the sign-up on, orders or not.
const ALL_MEMBERS = ['prospect', ...MEMBER_STAGES] as const;
/** Words in both languages for a benefit from config (rewards, tier benefits). */
const BenefitText = z.strictObject({ ko: Text(200).min(1, 'is required'), en: Text(200).min(1, 'is required') });

export const WelcomeCampaign = campaignOf(
  'welcome',
  {
    placement: 'overlay',
    stages: ['prospect'],
    consent: 'none',
    membership: 'member',
    pageTypes: SHOPPING_PAGES,
    orders: { max: 0 },
    days_since_signup: { max: 30 },
    trigger: { type: 'immediate' },
    caps: { ...DEFAULT_CAPS, lifetime: 2, never_after_conversion: true },
    priority: 85,
    copy: copy(
      { title: '가입을 환영해요!', body: '가입 혜택이 도착했어요. 주문서에서 쿠폰을 선택하면 바로 할인돼요.', cta: '지금 혜택 쓰러 가기' },
      { title: 'Welcome aboard!', body: 'Your sign-up benefit is here. Pick the coupon at checkout and the discount applies at once.', cta: 'Use it now' },
    ),
  },
  z
    .strictObject({
      cta_url: LinkUrl.default('/'),
      /** A code to show when the shop's server has not issued the member a coupon (`coupon_issued`). */
      offer_code: Text(64).nullable().default(null),
    })
    .prefault({}),
);

export const BenefitExpiryCampaign = campaignOf(
  'benefit_expiry',
  {
    placement: 'overlay',
    stages: ALL_PRESENT,
    consent: 'none',
    membership: 'member',
    pageTypes: SHOPPING_PAGES,
    // The coupon shown is the member's soonest-expiring one within this window.
    coupons_expiring: { within_days: 3 },
    trigger: { type: 'time_on_page', seconds: 2 },
    caps: { ...DEFAULT_CAPS, lifetime: 3, dismiss_cooldown_hours: 24, never_after_conversion: true },
    priority: 75,
    copy: copy(
      { title: '{benefit} 쿠폰이 곧 사라져요', body: '쿠폰이 사라지기 전에 사용해 보세요.', cta: '쿠폰 쓰러 가기' },
      { title: 'Your {benefit} coupon ends soon', body: 'Use it before it is gone.', cta: 'Use my coupon' },
    ),
  },
  z.strictObject({ cta_url: LinkUrl.default('/') }).prefault({}),
);

export const SecondPurchaseCampaign = campaignOf(
  'second_purchase',
  {
    placement: 'overlay',
    // new: one order, none since; wakeup: back after dormancy, no order since the return.
    stages: ['new', 'wakeup'],
    consent: 'none',
    pageTypes: SHOPPING_PAGES,
    days_since_last_order: { min: 3 },
    trigger: { type: 'time_on_page', seconds: 2 },
    caps: { ...DEFAULT_CAPS, lifetime: 3, never_after_conversion: true },
    priority: 35,
    copy: copy(
      { title: '첫 구매 고마워요!', body: '두 번째 주문에 쓸 수 있는 혜택을 준비했어요.', title_wakeup: '다시 만나 반가워요!', body_wakeup: '돌아오신 기념으로 다음 주문에 쓸 수 있는 혜택을 준비했어요.', cta: '혜택 받고 쇼핑하기' },
      { title: 'Thanks for your first order!', body: 'Here is something for your second one.', title_wakeup: 'Good to see you again!', body_wakeup: 'Welcome back: here is something for your next order.', cta: 'Shop with my benefit' },
    ),
  },
  z
    .strictObject({
      cta_url: LinkUrl.default('/'),
      offer_code: Text(64).nullable().default(null),
    })
    .prefault({}),
);

export const StampMissionCampaign = campaignOf(
  'stamp_mission',
  {
    placement: 'overlay',
    stages: ['new', 'active', 'wakeup'],
    consent: 'none',
    membership: 'member',
    pageTypes: SHOPPING_PAGES,
    // Between the 2nd and the 5th order: the card has stamps to show and some still to earn.
    orders: { min: 2, max: 4 },
    trigger: { type: 'time_on_page', seconds: 2 },
    caps: { ...DEFAULT_CAPS, lifetime: 6 },
    priority: 32,
    copy: copy(
      { title: '스탬프 {stamps}개를 모았어요', body: '주문할 때마다 스탬프가 하나씩 찍혀요.', next: '다음 스탬프({at}번째 주문): {benefit}', final: '{goal}개를 모두 모으면: {benefit}', cta: '쇼핑하고 스탬프 받기' },
      { title: 'You have {stamps} stamps', body: 'Every order earns a stamp.', next: 'Next stamp (order {at}): {benefit}', final: 'Collect all {goal}: {benefit}', cta: 'Shop for a stamp' },
    ),
  },
  z
    .strictObject({
      cta_url: LinkUrl.default('/'),
      /** Stamps on the card. */
      goal: z.number().int().min(2).max(20).default(5),
      /** Where the stamps come from: Touchpoint's count of the member's orders, or the shop's own
       * stamp programme (`stamps_updated` from its server; then the card is not decided when that
       * is missing or older than `max_data_age_hours`). */
      stamps_from: z.enum(['orders', 'shop']).default('orders'),
      max_data_age_hours: MaxDataAgeHours,
      /** What a stamp brings, by the order that earns it (`at` ≤ goal). */
      rewards: z
        .array(z.strictObject({ at: z.number().int().min(1).max(20), benefit: BenefitText }))
        .max(20)
        .default(() => [
          { at: 3, benefit: { ko: '무료배송 쿠폰', en: 'a free-shipping coupon' } },
          { at: 5, benefit: { ko: '5,000원 할인 쿠폰', en: 'a ₩5,000 coupon' } },
        ]),
    })
    .prefault({})
    .refine((s) => s.rewards.every((r) => r.at <= s.goal), { message: 'a reward is at an order beyond the goal', path: ['rewards'] }),
);

export const MembershipTierCampaign = campaignOf(
  'membership_tier',
  {
    placement: 'overlay',
    stages: ALL_MEMBERS,
    consent: 'none',
    membership: 'member',
    pageTypes: SHOPPING_PAGES,
    trigger: { type: 'time_on_page', seconds: 2 },
    caps: { ...DEFAULT_CAPS, lifetime: 6, dismiss_cooldown_hours: 168 },
    priority: 55,
    copy: copy(
      {
        title: '{next_tier}까지 {amount} 남았어요',
        body: '조금만 더 구매하시면 {next_tier} 등급이 돼요.',
        title_drop: '{tier} 등급이 {date}에 끝나요',
        body_drop: '그 전에 구매하시면 등급을 지킬 수 있어요.',
        title_up: '{tier} 등급이 되셨어요!',
        body_up: '축하해요! 이제 {tier} 등급 혜택을 누리세요.',
        benefit: '등급 혜택: {benefit}',
        cta: '쇼핑하러 가기',
      },
      {
        title: '{amount} to go until {next_tier}',
        body: 'A little more and you reach {next_tier}.',
        title_drop: 'Your {tier} tier ends on {date}',
        body_drop: 'Order before then to keep it.',
        title_up: 'You are now {tier}!',
        body_up: 'Congratulations! Enjoy your {tier} benefits.',
        benefit: 'Tier benefit: {benefit}',
        cta: 'Go shopping',
      },
    ),
  },
  z
    .strictObject({
      cta_url: LinkUrl.default('/'),
      max_data_age_hours: MaxDataAgeHours,
      /** "Close to the next tier": the spend still needed is at most this. */
      close_amount: z.number().min(0).max(1e13).default(50000),
      /** "Tier drops soon": the server's `drops_at` is within this many days. */
      drop_within_days: z.number().min(0).max(3650).default(30),
      /** "Just moved up": the shop's server named a higher tier (the previous one's `next_tier`) within this many days. */
      congrats_days: z.number().min(0).max(365).default(7),
      /** What each tier brings, shown on the card. */
      benefits: z.array(z.strictObject({ tier: Text(64).min(1), benefit: BenefitText })).max(50).default([]),
    })
    .prefault({}),
);

export const PointsCampaign = campaignOf(
  'points',
  {
    placement: 'overlay',
    stages: ALL_MEMBERS,
    consent: 'none',
    membership: 'member',
    pageTypes: SHOPPING_PAGES,
    trigger: { type: 'time_on_page', seconds: 2 },
    caps: { ...DEFAULT_CAPS, lifetime: 4, dismiss_cooldown_hours: 72 },
    priority: 65,
    copy: copy(
      {
        title: '{amount}P가 {date}에 사라져요',
        title_unused: '쓰지 않은 포인트 {balance}P가 있어요',
        body: '주문할 때 포인트로 바로 할인받으세요.',
        balance: '보유 포인트',
        expiring: '{date} 소멸 예정',
        cta: '포인트 쓰러 가기',
      },
      {
        title: '{amount} points expire on {date}',
        title_unused: 'You have {balance} points to spend',
        body: 'Use them for a discount on your next order.',
        balance: 'Your points',
        expiring: 'Expiring {date}',
        cta: 'Use my points',
      },
    ),
  },
  z
    .strictObject({
      cta_url: LinkUrl.default('/'),
      max_data_age_hours: MaxDataAgeHours,
      /** "Points expiring": at least one point expires within this many days. */
      expiring_within_days: z.number().min(0).max(3650).default(30),
      /** "Points never used": else, a balance of at least this many points. */
      min_balance: z.number().min(0).max(1e13).default(1000),
    })
    .prefault({}),
);

export const ReplenishmentCampaign = campaignOf(
  'replenishment',
  {
    placement: 'overlay',
    stages: MEMBER_STAGES,
    consent: 'none',
    pageTypes: SHOPPING_PAGES,
    repurchase_due: { days_before: 3, days_after: 14 },
    trigger: { type: 'time_on_page', seconds: 2 },
    caps: { ...DEFAULT_CAPS, dismiss_cooldown_hours: 168 },
    priority: 58,
    copy: copy(
      { title: '다시 채워둘 때가 됐어요', body: '자주 사시던 상품, 떨어지기 전에 미리 준비하세요.', cta: '장바구니 담기', added: '장바구니에 담았어요', cart: '장바구니 보기', later: '다음에 할게요' },
      { title: 'Time to restock?', body: 'Your usual is probably running low. Stock up before it runs out.', cta: 'Add to cart', added: 'Added to your cart', cart: 'View cart', later: 'Maybe later' },
    ),
  },
  z
    .strictObject({
      /** Where "add to cart" goes when the page does not handle the `touchpoint:add-to-cart`
       * event itself; `{item_id}` is replaced by the product's id. */
      add_to_cart_url: LinkUrl.default('/cart?add={item_id}'),
      cart_url: LinkUrl.default('/cart'),
    })
    .prefault({}),
);

/** The touch points' templates, merged into TEMPLATES. */
const TOUCHPOINT_TEMPLATES = {
  welcome: WelcomeCampaign,
  benefit_expiry: BenefitExpiryCampaign,
  second_purchase: SecondPurchaseCampaign,
  stamp_mission: StampMissionCampaign,
  membership_tier: MembershipTierCampaign,
  points: PointsCampaign,
  replenishment: ReplenishmentCampaign,
} as const;
const TOUCHPOINT_GOALS = (['welcome', 'benefit_expiry', 'second_purchase', 'stamp_mission', 'membership_tier', 'points', 'replenishment'] as const).map((template) => ({ template, event: 'purchase' }));
// ---- end of the journey's touch points.

/** Every template's campaign schema, by template name. */
export const TEMPLATES = {
  signup_benefit: SignupBenefitCampaign,
  cart_reminder: CartReminderCampaign,
  recommendations: RecommendationsCampaign,
  review_prompt: ReviewPromptCampaign,
  marketing_consent: MarketingConsentCampaign,
  interested_product: InterestedProductCampaign,
  welcome_back: WelcomeBackCampaign,
  survey: SurveyCampaign,
  referral: ReferralCampaign,
  ...TOUCHPOINT_TEMPLATES,
} as const satisfies Record<WidgetNameT, z.ZodType>;

const TEMPLATE_NAMES = Object.keys(TEMPLATES) as WidgetNameT[];

/** One campaign of any template. An unknown template is named as such rather than as a
 * mismatch of every other field. */
export const Campaign = z.discriminatedUnion('template', Object.values(TEMPLATES) as unknown as [typeof SignupBenefitCampaign, ...(typeof TEMPLATES)[WidgetNameT][]], {
  error: (issue) => (issue.code === 'invalid_union' ? `template must be one of ${TEMPLATE_NAMES.join(', ')}` : undefined),
});
export type CampaignT = z.infer<typeof Campaign>;
export type CampaignInput = z.input<typeof Campaign>;
export type CampaignOf<T extends WidgetNameT> = Extract<CampaignT, { template: T }>;

/** The events that count as a campaign's conversion (by its template), when they follow an
 * impression of it. `flag` names a boolean prop that must be true. */
export const TEMPLATE_GOALS: readonly { template: WidgetNameT; event: string; flag?: string }[] = [
  { template: 'signup_benefit', event: 'sign_up' },
  { template: 'signup_benefit', event: 'lead_submit' },
  { template: 'marketing_consent', event: 'consent_update', flag: 'marketing' },
  { template: 'marketing_consent', event: 'lead_submit', flag: 'marketing_consent' },
  { template: 'cart_reminder', event: 'purchase' },
  { template: 'recommendations', event: 'purchase' },
  { template: 'interested_product', event: 'purchase' },
  { template: 'welcome_back', event: 'purchase' },
  { template: 'review_prompt', event: 'review_submit' },
  { template: 'survey', event: 'survey_answer' },
  ...TOUCHPOINT_GOALS,
];
