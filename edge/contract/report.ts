import { z } from 'zod';
import { Stage } from './audience';
import { CampaignId } from './campaign';
import { WidgetName } from './decision';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');

/** GET /v1/admin/sites/:site/report?from&to&campaign&template — dates are UTC days, `to`
 * inclusive; `widget` is the older name of `template`. */
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
  daily: z.array(DailyPoint),
});

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
  /** Entries not handed off: advertising without marketing consent, or over the per-member cap. */
  no_consent: z.number().int(),
  capped: z.number().int(),
  lift: Lift,
});
export type HandoffReportT = z.infer<typeof HandoffReport>;

export const Report = z.object({
  site: z.string(),
  from: Day,
  to: Day,
  generated_at: z.number().int(),
  /** Which formulas the intervals and verdicts come from (README, "Measurement"). */
  interval_method: z.object({ rate: z.string(), difference: z.string(), verdict: z.string() }),
  campaigns: z.array(CampaignReport),
  handoffs: z.array(HandoffReport),
  stages: StageFunnel,
});
export type ReportT = z.infer<typeof Report>;
export type CampaignReportT = z.infer<typeof CampaignReport>;
