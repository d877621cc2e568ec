import { EXCLUSION_REASONS, Stage, TEMPLATE_GOALS, WIDGET_NAMES, type CampaignReportT, type ExcludedEventsT, type ExclusionReason, type ReportT, type SiteConfigT, type SiteSettingsT, type StageT, type WidgetNameT } from '../contract';
import { stageCountsSql } from '../decide/stage';
import { dayString, localDayStart } from '../lib/site-time';
import { handoffReports, handoffWindows, READ_HANDOFF_RESULTS } from './handoff-results';
import { compareGroups, INTERVAL_METHOD } from './lift';
import { meanDifference, meanInterval, newcombe, sampleRatio, SRM_P_THRESHOLD, wilson, type Interval } from './statistics';

/** Excluded events of a site in [start, end), by reason: those still in excluded_events
 * (edge/ingest/traffic-filter.ts keeps them for the hot window) and the local days ?4–?5 already
 * counted into excluded_daily (edge/archive/prune-state.ts); an event is in one or the other. */
const READ_EXCLUDED = `
SELECT reason, sum(n) AS n FROM (
  SELECT reason, count(*) AS n FROM excluded_events WHERE site = ?1 AND ts >= ?2 AND ts < ?3 GROUP BY reason
  UNION ALL
  SELECT reason, sum(events) AS n FROM excluded_daily WHERE site = ?1 AND day BETWEEN ?4 AND ?5 GROUP BY reason)
GROUP BY reason`;

/** A report over whole local days of the site (its `timezone`), read from the rollups only
 * (report_daily, report_redemptions, control_daily, stage_moves) and one pass over the site's
 * profiles for the stage counts.
 *
 * Groups are cohorts: a campaign+variant's visitors in the period are those first decided for it
 * (in that group) in the period, and its conversions and revenue are theirs, attributed whenever
 * they happened. Impressions, clicks, dismissals and submits count when they happened. */

export interface ReportPeriod {
  /** The site's local days since the epoch (site-time's numbering), `to` inclusive. */
  fromDay: number;
  toDay: number;
  campaign?: string;
  template?: WidgetNameT;
}

interface DailyRow {
  day: number;
  campaign: string;
  template: WidgetNameT;
  variant: string;
  holdout: number;
  visitors: number;
  impressions: number;
  clicks: number;
  dismissals: number;
  submits: number;
  conversions: number;
  revenue: number;
  revenue_sq: number;
}

const READ_DAILY = `
SELECT day, campaign, template, variant, holdout, visitors, impressions, clicks, dismissals, submits, conversions, revenue, revenue_sq
FROM report_daily WHERE site = ?1 AND day BETWEEN ?2 AND ?3 AND (?4 IS NULL OR campaign = ?4) AND (?5 IS NULL OR template = ?5)`;

const READ_MOVES = `
SELECT from_stage, to_stage, count(DISTINCT visitor_id) AS visitors FROM stage_moves
WHERE site = ?1 AND ts >= ?2 AND ts < ?3 GROUP BY 1, 2 ORDER BY 1, 2`;

const READ_REDEMPTIONS = `
SELECT code, count(*) AS orders, total(discount) AS discount FROM report_redemptions
WHERE site = ?1 AND ts >= ?2 AND ts < ?3 GROUP BY code ORDER BY code`;

const READ_CONTROL = `
SELECT in_control, sum(shoppers) AS shoppers, sum(buyers) AS buyers, sum(repeat_buyers) AS repeat_buyers, total(revenue) AS revenue, total(revenue_sq) AS revenue_sq
FROM control_daily WHERE site = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY in_control`;

const money = (value: number) => Math.round(value * 100) / 100;

type Counters = Omit<DailyRow, 'day' | 'campaign' | 'template' | 'variant' | 'holdout'>;
const zero = (): Counters => ({ visitors: 0, impressions: 0, clicks: 0, dismissals: 0, submits: 0, conversions: 0, revenue: 0, revenue_sq: 0 });
function add(into: Counters, row: Counters): void {
  for (const key of Object.keys(into) as (keyof Counters)[]) into[key] += row[key];
}

const metrics = ({ revenue_sq: _sq, ...c }: Counters) => ({
  ...c,
  revenue: money(c.revenue),
  conversion_rate: c.visitors > 0 ? c.conversions / c.visitors : null,
  revenue_per_visitor: c.visitors > 0 ? money(c.revenue / c.visitors) : null,
});

/** Campaigns in the order of the config (deleted ones after, by template), variants by id. */
function campaignReports(rows: readonly DailyRow[], period: ReportPeriod, config: SiteConfigT, costs: Map<string, Cost>, marginPercent: number): CampaignReportT[] {
  const byKey = new Map<string, { campaign: string; template: WidgetNameT; variant: string; groups: [Counters, Counters]; days: Map<number, [Counters, Counters]> }>();
  for (const row of rows) {
    const key = `${row.campaign}\u0000${row.variant}`;
    let entry = byKey.get(key);
    if (!entry) byKey.set(key, (entry = { campaign: row.campaign, template: row.template, variant: row.variant, groups: [zero(), zero()], days: new Map() }));
    const group = row.holdout ? 1 : 0;
    add(entry.groups[group], row);
    let day = entry.days.get(row.day);
    if (!day) entry.days.set(row.day, (day = [zero(), zero()]));
    add(day[group], row);
  }
  const configured = new Map(config.campaigns.map((c, i) => [c.id, { index: i, name: c.name }]));
  const order = (e: { campaign: string; template: WidgetNameT }) => configured.get(e.campaign)?.index ?? config.campaigns.length + WIDGET_NAMES.indexOf(e.template);
  // A campaign's cost is shared by its variants in proportion to their shown visitors.
  const shownOf = new Map<string, number>();
  for (const e of byKey.values()) shownOf.set(e.campaign, (shownOf.get(e.campaign) ?? 0) + e.groups[0].visitors);
  const variantsOf = new Map<string, number>();
  for (const e of byKey.values()) variantsOf.set(e.campaign, (variantsOf.get(e.campaign) ?? 0) + 1);
  return [...byKey.values()]
    .sort((a, b) => order(a) - order(b) || a.campaign.localeCompare(b.campaign) || a.variant.localeCompare(b.variant))
    .map(({ campaign, template, variant, groups: [shown, holdout], days }) => {
      const daily = [];
      for (let d = period.fromDay; d <= period.toDay; d++) {
        const [s, h] = days.get(d) ?? [zero(), zero()];
        daily.push({
          date: dayString(d),
          shown_visitors: s.visitors,
          holdout_visitors: h.visitors,
          impressions: s.impressions + h.impressions,
          clicks: s.clicks + h.clicks,
          conversions_shown: s.conversions,
          conversions_holdout: h.conversions,
          revenue_shown: money(s.revenue),
          revenue_holdout: money(h.revenue),
        });
      }
      const name = configured.get(campaign)?.name ?? null;
      const total = shownOf.get(campaign) ?? 0;
      const share = total > 0 ? shown.visitors / total : 1 / (variantsOf.get(campaign) ?? 1);
      const cost = costs.get(campaign) ?? { orders: 0, discount: 0 };
      return {
        campaign,
        name,
        template,
        widget: template,
        variant,
        shown: metrics(shown),
        holdout: metrics(holdout),
        lift: compareGroups(shown, holdout),
        ...returnOf(shown, holdout, { orders: cost.orders * share, discount: cost.discount * share }, marginPercent, REVENUE_TEMPLATES.has(template)),
        daily,
      };
    });
}

/** Profiles the funnel counts a statement (stageCountsSql). */
export const STAGE_SLICE = 5_000;

/** The site's shoppers per stage at `at`, a slice of profiles at a time (stageCountsSql). */
export async function countStages(db: D1Database, site: string, thresholds: SiteConfigT['stages'], at: number, slice = STAGE_SLICE): Promise<Record<StageT, number>> {
  const counts = Object.fromEntries(Stage.options.map((s) => [s, 0])) as Record<StageT, number>;
  const sql = stageCountsSql(thresholds, at);
  for (let after = ''; ; ) {
    const { results } = await db.prepare(sql).bind(site, at, after, slice).all<{ stage: StageT | null; n: number; last: string | null; rows: number | null }>();
    let end: { last: string | null; rows: number | null } | undefined;
    for (const row of results) {
      if (row.stage === null) end = row;
      else counts[row.stage] += row.n;
    }
    if (!end || end.last === null || (end.rows ?? 0) < slice) return counts;
    after = end.last;
  }
}

export async function buildReport(db: D1Database, settings: SiteSettingsT, config: SiteConfigT, period: ReportPeriod, now: number): Promise<ReportT> {
  const site = settings.id;
  const start = localDayStart(period.fromDay, settings.timezone);
  const end = localDayStart(period.toDay + 1, settings.timezone);
  // Stages are counted as they stand at the end of the period, or now if that is sooner.
  const at = Math.min(end - 1, now);
  const [daily, moves, redeemed, control, handoffs, excluded] = await db.batch([
    db.prepare(READ_DAILY).bind(site, period.fromDay, period.toDay, period.campaign ?? null, period.template ?? null),
    db.prepare(READ_MOVES).bind(site, start, end),
    db.prepare(READ_REDEMPTIONS).bind(site, start, end),
    db.prepare(READ_CONTROL).bind(site, period.fromDay, period.toDay),
    db.prepare(READ_HANDOFF_RESULTS).bind(site, start, end, handoffWindows(config)),
    db.prepare(READ_EXCLUDED).bind(site, start, end, period.fromDay, period.toDay),
  ]);
  const counts = await countStages(db, site, config.stages, at);
  const { costs, redemptions } = matchCodes((redeemed?.results ?? []) as { code: string; orders: number; discount: number }[], config);
  const campaigns = campaignReports((daily?.results ?? []) as DailyRow[], period, config, costs, settings.gross_margin_percent);
  return {
    site,
    from: dayString(period.fromDay),
    to: dayString(period.toDay),
    generated_at: now,
    interval_method: INTERVAL_METHOD,
    timezone: settings.timezone,
    currency: settings.currency,
    gross_margin_percent: settings.gross_margin_percent,
    campaigns,
    handoffs: handoffReports((handoffs?.results ?? []) as Parameters<typeof handoffReports>[0], config),
    redemptions,
    control_group: controlGroupReport((control?.results ?? []) as ControlRow[], settings.control_group_percent),
    srm: srmReport(campaigns, config),
    stages: {
      counts,
      transitions: ((moves?.results ?? []) as { from_stage: StageT; to_stage: StageT; visitors: number }[]).map((m) => ({ from: m.from_stage, to: m.to_stage, visitors: m.visitors })),
    },
    excluded_events: excludedReport((excluded?.results ?? []) as { reason: ExclusionReason; n: number }[]),
  };
}

function excludedReport(rows: readonly { reason: ExclusionReason; n: number }[]): ExcludedEventsT {
  const by_reason = Object.fromEntries(EXCLUSION_REASONS.map((reason) => [reason, 0])) as ExcludedEventsT['by_reason'];
  for (const row of rows) if (row.reason in by_reason) by_reason[row.reason] = row.n;
  return { total: Object.values(by_reason).reduce((a, b) => a + b, 0), by_reason };
}

interface Cost {
  orders: number;
  discount: number;
}

/** Each code to the first campaign (config order) whose `offer_codes` or settings' `offer_code` name it, case ignored. */
function matchCodes(rows: readonly { code: string; orders: number; discount: number }[], config: SiteConfigT) {
  const owner = new Map<string, string>();
  for (const c of config.campaigns) {
    const settingsCode = (c.settings as { offer_code?: string | null }).offer_code;
    for (const code of [...c.offer_codes, ...(settingsCode ? [settingsCode] : [])]) {
      const key = code.trim().toLowerCase();
      if (key && !owner.has(key)) owner.set(key, c.id);
    }
  }
  const costs = new Map<string, Cost>();
  const redemptions = rows.map((r) => {
    const campaign = owner.get(r.code) ?? null;
    if (campaign) {
      const cost = costs.get(campaign) ?? { orders: 0, discount: 0 };
      cost.orders += r.orders;
      cost.discount += r.discount;
      costs.set(campaign, cost);
    }
    return { code: r.code, campaign, orders: r.orders, discount: money(r.discount) };
  });
  return { costs, redemptions };
}

const scale = (ci: Interval | null, by: number): [number, number] | null => (ci ? [money(ci[0] * by), money(ci[1] * by)] : null);

/** Templates whose goal is a purchase: only their campaigns are credited revenue. */
const REVENUE_TEMPLATES = new Set(TEMPLATE_GOALS.filter((g) => g.event === 'purchase').map((g) => g.template));

/** What showing the campaign earned against its holdout, and what its benefit cost. Revenue,
 * margin and ROI are null for a template whose goal is not a purchase (sign-up, consent, review):
 * no revenue is credited to it, so its return is not measured in money. */
function returnOf(shown: Counters, holdout: Counters, cost: Cost, marginPercent: number, earnsRevenue: boolean) {
  const margin = marginPercent / 100;
  const n = shown.visitors;
  const both = n > 0 && holdout.visitors > 0;
  const rates = both ? newcombe(shown.conversions, n, holdout.conversions, holdout.visitors) : null;
  const revenue = !earnsRevenue ? null : meanDifference({ n, sum: shown.revenue, sumSq: shown.revenue_sq }, { n: holdout.visitors, sum: holdout.revenue, sumSq: holdout.revenue_sq });
  const incrementalRevenue = revenue ? revenue.difference * n : null;
  const incrementalMargin = incrementalRevenue === null ? null : incrementalRevenue * margin;
  const benefitCost = money(cost.discount);
  return {
    redemptions: Math.round(cost.orders * 100) / 100,
    benefit_cost: benefitCost,
    incremental_conversions: both ? Math.round((shown.conversions / n - holdout.conversions / holdout.visitors) * n * 100) / 100 : null,
    incremental_conversions_ci95: rates ? ([Math.round(rates[0] * n * 100) / 100, Math.round(rates[1] * n * 100) / 100] as [number, number]) : null,
    incremental_revenue: incrementalRevenue === null ? null : money(incrementalRevenue),
    incremental_revenue_ci95: scale(revenue?.interval ?? null, n),
    incremental_margin: incrementalMargin === null ? null : money(incrementalMargin),
    incremental_margin_ci95: scale(revenue?.interval ?? null, n * margin),
    roi: incrementalMargin === null || benefitCost <= 0 ? null : Math.round(((incrementalMargin - benefitCost) / benefitCost) * 10_000) / 10_000,
  };
}

interface ControlRow {
  in_control: number;
  shoppers: number;
  buyers: number;
  repeat_buyers: number;
  revenue: number;
  revenue_sq: number;
}

function controlMetrics(row: ControlRow | undefined) {
  const r = row ?? { in_control: 0, shoppers: 0, buyers: 0, repeat_buyers: 0, revenue: 0, revenue_sq: 0 };
  const rps = meanInterval({ n: r.shoppers, sum: r.revenue, sumSq: r.revenue_sq });
  return {
    shoppers: r.shoppers,
    buyers: r.buyers,
    repeat_buyers: r.repeat_buyers,
    revenue: money(r.revenue),
    revenue_per_shopper: r.shoppers > 0 ? money(r.revenue / r.shoppers) : null,
    revenue_per_shopper_ci95: rps ? ([money(rps[0]), money(rps[1])] as [number, number]) : null,
    conversion_rate: r.shoppers > 0 ? r.buyers / r.shoppers : null,
    conversion_rate_ci95: r.shoppers > 0 ? wilson(r.buyers, r.shoppers) : null,
    repeat_purchase_rate: r.buyers > 0 ? r.repeat_buyers / r.buyers : null,
    repeat_purchase_rate_ci95: r.buyers > 0 ? wilson(r.repeat_buyers, r.buyers) : null,
  };
}

/** The control group against everyone else assigned in the period (cohorts, as campaigns' groups). */
function controlGroupReport(rows: readonly ControlRow[], percent: number): ReportT['control_group'] {
  const c = rows.find((r) => r.in_control === 1);
  const o = rows.find((r) => r.in_control === 0);
  const control = controlMetrics(c);
  const others = controlMetrics(o);
  const rps = c && o ? meanDifference({ n: o.shoppers, sum: o.revenue, sumSq: o.revenue_sq }, { n: c.shoppers, sum: c.revenue, sumSq: c.revenue_sq }) : null;
  return {
    control_group_percent: percent,
    control,
    others,
    difference: {
      revenue_per_shopper: rps ? money(rps.difference) : null,
      revenue_per_shopper_ci95: rps ? [money(rps.interval[0]), money(rps.interval[1])] : null,
      conversion_rate: control.conversion_rate !== null && others.conversion_rate !== null ? others.conversion_rate - control.conversion_rate : null,
      conversion_rate_ci95: others.shoppers > 0 && control.shoppers > 0 ? newcombe(others.buyers, others.shoppers, control.buyers, control.shoppers) : null,
      repeat_purchase_rate:
        control.repeat_purchase_rate !== null && others.repeat_purchase_rate !== null ? others.repeat_purchase_rate - control.repeat_purchase_rate : null,
      repeat_purchase_rate_ci95: others.buyers > 0 && control.buyers > 0
        ? newcombe(others.repeat_buyers, others.buyers, control.repeat_buyers, control.buyers)
        : null,
    },
  };
}

/** Per configured campaign (its variants together), is the holdout share what holdout_percent says? */
function srmReport(campaigns: readonly CampaignReportT[], config: SiteConfigT): ReportT['srm'] {
  const totals = new Map<string, { holdout: number; shown: number }>();
  for (const c of campaigns) {
    const t = totals.get(c.campaign) ?? { holdout: 0, shown: 0 };
    t.holdout += c.holdout.visitors;
    t.shown += c.shown.visitors;
    totals.set(c.campaign, t);
  }
  const checks = config.campaigns
    .filter((c) => totals.has(c.id))
    .map((c) => {
      const t = totals.get(c.id)!;
      const check = sampleRatio(t.holdout, t.shown, c.holdout_percent / 100);
      return { campaign: c.id, expected_holdout_share: check.expected_holdout_share, observed_holdout_share: check.observed_holdout_share, p_value: check.p_value, mismatch: check.mismatch };
    });
  return { p_threshold: SRM_P_THRESHOLD, checks, mismatches: checks.filter((c) => c.mismatch).map((c) => c.campaign) };
}
