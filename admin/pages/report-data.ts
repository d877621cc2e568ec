// Sums and lookups over the contract's report (edge/contract/report.ts) that several pages share.
import type { CampaignReportT, ReportT, SiteConfigT, StageT } from '../../edge/contract';

export interface Totals {
  impressions: number;
  conversions: number;
  incrementalRevenue: number;
  incrementalMargin: number;
  benefitCost: number;
  /** (margin - cost) / cost; null without a cost. */
  roi: number | null;
}

export function totals(report: ReportT | null): Totals {
  const rows = report?.campaigns ?? [];
  const sum = (pick: (r: CampaignReportT) => number | null) => rows.reduce((s, r) => s + (pick(r) ?? 0), 0);
  const benefitCost = sum((r) => r.benefit_cost);
  const incrementalMargin = sum((r) => r.incremental_margin);
  return {
    impressions: sum((r) => r.shown.impressions),
    conversions: sum((r) => r.shown.conversions),
    incrementalRevenue: sum((r) => r.incremental_revenue),
    incrementalMargin,
    benefitCost,
    roi: benefitCost > 0 ? (incrementalMargin - benefitCost) / benefitCost : null,
  };
}

/** The report rows of one campaign (one per variant). */
export const rowsOf = (report: ReportT | null, campaign: string) => (report?.campaigns ?? []).filter((r) => r.campaign === campaign);

/** Shoppers today in the stages a campaign's audience names (the report's funnel counts). */
export function audienceSize(report: ReportT | null, stages: readonly StageT[]): number | null {
  if (!report) return null;
  const all = Object.keys(report.stages.counts) as StageT[];
  return (stages.length ? stages : all).reduce((s, stage) => s + (report.stages.counts[stage] ?? 0), 0);
}

/** A YYYY-MM-DD `days` after `day`. */
export function addDays(day: string, days: number): string {
  const ms = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Today in the site's days: the report's `to`, else the browser's. */
export const siteToday = (report: ReportT | null) => report?.to ?? new Date().toISOString().slice(0, 10);

export const campaignById = (config: SiteConfigT, id: string) => config.campaigns.find((c) => c.id === id) ?? null;
