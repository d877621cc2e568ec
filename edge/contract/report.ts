import { z } from 'zod';
import { Stage } from './audience';
import { CampaignId } from './campaign';
import { WidgetName } from './decision';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');

/** GET /v1/admin/sites/:site/report?from&to&campaign&template — dates are the site's local days
 * (its `timezone`), `to` inclusive; `widget` is the older name of `template`. */
export const ReportQuery = z.object({
  from: Day.optional(),
  to: Day.optional(),
  campaign: CampaignId.optional(),
  template: WidgetName.optional(),
  widget: WidgetName.optional(),
});

const Rate = z.number().nullable();

export const GroupMetrics = z.object({
  /** Distinct visitors with a decision for this campaign+variant in the period. */
  visitors: z.number().int(),
  impressions: z.number().int(),
  clicks: z.number().int(),
  dismissals: z.number().int(),
  submits: z.number().int(),
  /** Visitors with at least one attributed conversion. */
  conversions: z.number().int(),
  conversion_rate: Rate,
  revenue: z.number(),
  revenue_per_visitor: Rate,
});

export const Lift = z.object({
  shown_rate: Rate,
  holdout_rate: Rate,
  difference: Rate,
  /** Newcombe's hybrid score 95% interval for the difference, for one look. */
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  /** The always-valid (mSPRT) 95% interval the verdict is read from: valid however often it is read. */
  always_valid_ci95: z.tuple([z.number(), z.number()]).nullable(),
  always_valid_p: Rate,
  relative_lift: Rate,
  verdict: z.enum(['significant_lift', 'significant_drop', 'no_measurable_effect', 'not_enough_data']),
  more_visitors_needed: z.number().int().nullable(),
  message: z.string(),
});

export const DailyPoint = z.object({
  date: Day,
  shown_visitors: z.number().int(),
  holdout_visitors: z.number().int(),
  impressions: z.number().int(),
  clicks: z.number().int(),
  conversions_shown: z.number().int(),
  conversions_holdout: z.number().int(),
  revenue_shown: z.number(),
  revenue_holdout: z.number(),
});

const Ci = z.tuple([z.number(), z.number()]).nullable();

/** One campaign and variant. */
export const CampaignReport = z.object({
  campaign: z.string(),
  /** The campaign's name in the current config; null once it was deleted. */
  name: z.string().nullable(),
  template: WidgetName,
  /** The template, under its older name. */
  widget: WidgetName,
  variant: z.string(),
  shown: GroupMetrics,
  holdout: GroupMetrics,
  lift: Lift,
  /** Purchases in the period that used one of the campaign's codes (`offer_codes`, settings'
   * `offer_code`), and their discounts: the benefit's cost. A campaign with several variants
   * shares them out by shown visitors. */
  redemptions: z.number(),
  benefit_cost: z.number(),
  /** (shown conversion rate - holdout's) × shown visitors, with Newcombe's interval scaled alike. */
  incremental_conversions: z.number().nullable(),
  incremental_conversions_ci95: Ci,
  /** (shown revenue per visitor - holdout's) × shown visitors, in the site's currency, with a
   * normal-approximation 95% interval for the difference of means (README, "Measurement"). */
  incremental_revenue: z.number().nullable(),
  incremental_revenue_ci95: Ci,
  /** incremental_revenue × gross_margin_percent / 100. */
  incremental_margin: z.number().nullable(),
  incremental_margin_ci95: Ci,
  /** (incremental_margin - benefit_cost) / benefit_cost; null without a cost or a holdout. Revenue,
   * margin and ROI are null for templates whose goal is not a purchase. */
  roi: z.number().nullable(),
  daily: z.array(DailyPoint),
});

const ControlGroupMetrics = z.object({
  /** Shoppers first decided for (so assigned) in the period. */
  shoppers: z.number().int(),
  /** Of them, those who bought since, and those who bought twice or more. */
  buyers: z.number().int(),
  repeat_buyers: z.number().int(),
  revenue: z.number(),
  revenue_per_shopper: Rate,
  revenue_per_shopper_ci95: Ci,
  /** buyers / shoppers, Wilson interval. */
  conversion_rate: Rate,
  conversion_rate_ci95: Ci,
  /** repeat_buyers / buyers, Wilson interval. */
  repeat_purchase_rate: Rate,
  repeat_purchase_rate_ci95: Ci,
});

/** The store-wide control group (no prompts, no hand-offs) against everyone else. */
export const ControlGroupReport = z.object({
  control_group_percent: z.number(),
  control: ControlGroupMetrics,
  others: ControlGroupMetrics,
  /** others - control: what Touchpoint adds per shopper (Newcombe for rates, Welch for revenue). */
  difference: z.object({
    revenue_per_shopper: Rate,
    revenue_per_shopper_ci95: Ci,
    conversion_rate: Rate,
    conversion_rate_ci95: Ci,
    repeat_purchase_rate: Rate,
    repeat_purchase_rate_ci95: Ci,
  }),
});

/** Sample ratio checks: does each campaign's observed holdout share match its holdout_percent? */
export const SrmReport = z.object({
  p_threshold: z.number(),
  checks: z.array(
    z.object({
      campaign: z.string(),
      expected_holdout_share: z.number(),
      observed_holdout_share: Rate,
      p_value: Rate,
      mismatch: z.boolean(),
    }),
  ),
  /** Campaigns whose split does not match: their numbers cannot be trusted. */
  mismatches: z.array(z.string()),
});

/** Benefit codes purchases used in the period, and the campaign each was matched to. */
export const RedemptionRow = z.object({ code: z.string(), campaign: z.string().nullable(), orders: z.number().int(), discount: z.number() });

export const StageFunnel = z.object({
  /** Shoppers in each stage at the end of the period. */
  counts: z.record(Stage, z.number().int()),
  /** Moves between stages during the period, e.g. prospect → new. */
  transitions: z.array(z.object({ from: Stage, to: Stage, visitors: z.number().int() })),
});

/** What one hand-off's messages earned (edge/report/handoff-results.ts). */
const HandoffGroup = z.object({
  /** Entries into the audience in the period (a member may enter more than once). */
  members: z.number().int(),
  /** Entries followed by an order within the hand-off's conversion window. */
  conversions: z.number().int(),
  revenue: z.number(),
  conversion_rate: Rate,
});
export const HandoffReport = z.object({
  handoff: z.string(),
  name: z.string(),
  kind: z.string(),
  sent: HandoffGroup,
  holdout: HandoffGroup,
  /** Entries not handed off: the store-wide control group, advertising without marketing consent,
   * or over the per-member cap. */
  control: z.number().int(),
  no_consent: z.number().int(),
  capped: z.number().int(),
  lift: Lift,
});
export type HandoffReportT = z.infer<typeof HandoffReport>;

/** Why the traffic filter (edge/ingest/traffic-filter.ts) kept an event out, strongest first. */
export const EXCLUSION_REASONS = ['cloudflare_bot', 'webdriver', 'bot_user_agent', 'staff', 'test_browser'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export const ExcludedEvents = z.object({
  total: z.number().int(),
  by_reason: z.object(Object.fromEntries(EXCLUSION_REASONS.map((reason) => [reason, z.number().int()])) as Record<ExclusionReason, z.ZodNumber>),
});
export type ExcludedEventsT = z.infer<typeof ExcludedEvents>;

export const Report = z.object({
  site: z.string(),
  from: Day,
  to: Day,
  generated_at: z.number().int(),
  /** Which formulas the intervals and verdicts come from (README, "Measurement"). */
  interval_method: z.object({ rate: z.string(), difference: z.string(), verdict: z.string(), revenue_difference: z.string() }),
  /** The site's time zone: `from`, `to` and daily dates are its local days. */
  timezone: z.string(),
  /** The site's currency and margin, in which money and ROI are given. */
  currency: z.string(),
  gross_margin_percent: z.number(),
  campaigns: z.array(CampaignReport),
  handoffs: z.array(HandoffReport),
  redemptions: z.array(RedemptionRow),
  control_group: ControlGroupReport,
  srm: SrmReport,
  stages: StageFunnel,
  /** Events of the period kept out of profiles, recommendations and this report, and why
   * (edge/ingest/traffic-filter.ts): known bots, automated browsers, staff, test browsers. */
  excluded_events: ExcludedEvents,
});
export type ReportT = z.infer<typeof Report>;
export type CampaignReportT = z.infer<typeof CampaignReport>;
