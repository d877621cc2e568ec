import { Stage, WIDGET_NAMES, type CampaignReportT, type ReportT, type SiteConfigT, type StageT, type WidgetNameT } from '../contract';
import { lifecycleStageSql } from '../decide/stage';
import { DAY_MS } from '../lib/time';
import { handoffReports, handoffWindows, READ_HANDOFF_RESULTS } from './handoff-results';
import { compareGroups, INTERVAL_METHOD } from './lift';

/** A report over whole UTC days, read from the rollups only (report_daily, stage_moves) and one
 * pass over the site's profiles for the stage counts.
 *
 * Groups are cohorts: a campaign+variant's visitors in the period are those first decided for it
 * (in that group) in the period, and its conversions and revenue are theirs, attributed whenever
 * they happened. Impressions, clicks, dismissals and submits count when they happened. */

export interface ReportPeriod {
  /** UTC days since the epoch, `to` inclusive. */
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
}

const READ_DAILY = `
SELECT day, campaign, template, variant, holdout, visitors, impressions, clicks, dismissals, submits, conversions, revenue
FROM report_daily WHERE site = ?1 AND day BETWEEN ?2 AND ?3 AND (?4 IS NULL OR campaign = ?4) AND (?5 IS NULL OR template = ?5)`;

const READ_MOVES = `
SELECT from_stage, to_stage, count(DISTINCT visitor_id) AS visitors FROM stage_moves
WHERE site = ?1 AND ts >= ?2 AND ts < ?3 GROUP BY 1, 2 ORDER BY 1, 2`;

export const dayString = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const money = (value: number) => Math.round(value * 100) / 100;

type Counters = Omit<DailyRow, 'day' | 'campaign' | 'template' | 'variant' | 'holdout'>;
const zero = (): Counters => ({ visitors: 0, impressions: 0, clicks: 0, dismissals: 0, submits: 0, conversions: 0, revenue: 0 });
function add(into: Counters, row: Counters): void {
  for (const key of Object.keys(into) as (keyof Counters)[]) into[key] += row[key];
}

const metrics = (c: Counters) => ({
  ...c,
  revenue: money(c.revenue),
  conversion_rate: c.visitors > 0 ? c.conversions / c.visitors : null,
  revenue_per_visitor: c.visitors > 0 ? money(c.revenue / c.visitors) : null,
});

/** Campaigns in the order of the config (deleted ones after, by template), variants by id. */
function campaignReports(rows: readonly DailyRow[], period: ReportPeriod, config: SiteConfigT): CampaignReportT[] {
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
      return { campaign, name, template, widget: template, variant, shown: metrics(shown), holdout: metrics(holdout), lift: compareGroups(shown, holdout), daily };
    });
}

export async function buildReport(db: D1Database, site: string, config: SiteConfigT, period: ReportPeriod, now: number): Promise<ReportT> {
  const start = period.fromDay * DAY_MS;
  const end = (period.toDay + 1) * DAY_MS;
  // Stages are counted as they stand at the end of the period, or now if that is sooner.
  const at = Math.min(end - 1, now);
  const [daily, stages, moves, handoffs] = await db.batch([
    db.prepare(READ_DAILY).bind(site, period.fromDay, period.toDay, period.campaign ?? null, period.template ?? null),
    db.prepare(`SELECT ${lifecycleStageSql(config.stages, at)} AS stage, count(*) AS n FROM profiles WHERE site = ?1 AND first_seen <= ?2 GROUP BY 1`).bind(site, at),
    db.prepare(READ_MOVES).bind(site, start, end),
    db.prepare(READ_HANDOFF_RESULTS).bind(site, start, end, handoffWindows(config)),
  ]);
  const counts = Object.fromEntries(Stage.options.map((s) => [s, 0])) as Record<StageT, number>;
  for (const row of (stages?.results ?? []) as { stage: StageT; n: number }[]) counts[row.stage] = row.n;
  return {
    site,
    from: dayString(period.fromDay),
    to: dayString(period.toDay),
    generated_at: now,
    interval_method: INTERVAL_METHOD,
    campaigns: campaignReports((daily?.results ?? []) as DailyRow[], period, config),
    handoffs: handoffReports((handoffs?.results ?? []) as Parameters<typeof handoffReports>[0], config),
    stages: {
      counts,
      transitions: ((moves?.results ?? []) as { from_stage: StageT; to_stage: StageT; visitors: number }[]).map((m) => ({ from: m.from_stage, to: m.to_stage, visitors: m.visitors })),
    },
  };
}
