// Results per campaign and variant (edge/contract/report.ts): the verdict in the marketer's words,
// incremental conversions and revenue with their 95% intervals drawn as intervals, cost and
// return, the sample-ratio warning, shown against holdout, and the daily series.
import { useEffect, useState } from 'preact/hooks';
import { Link, useLocation } from 'wouter-preact';
import type { CampaignReportT, ReportT } from '../../edge/contract';
import { calls } from '../api';
import { IntervalChart, LineChart } from '../charts';
import { campaignName, templateTitle, type Formats, type Lang, type T } from '../i18n';
import { useAdmin } from '../state';

function VariantResult({ row, report, t, f, lang }: { row: CampaignReportT; report: ReportT; t: T; f: Formats; lang: Lang }) {
  const srm = report.srm.checks.find((c) => c.campaign === row.campaign && c.mismatch);
  const metrics: [string, (g: CampaignReportT['shown']) => string][] = [
    [t('visitors'), (g) => f.num(g.visitors)],
    [t('impressions'), (g) => f.num(g.impressions)],
    [t('clicks'), (g) => f.num(g.clicks)],
    [t('conversions'), (g) => f.num(g.conversions)],
    [t('conversion_rate'), (g) => f.pct(g.conversion_rate)],
    [t('revenue'), (g) => f.money(g.revenue)],
  ];
  const ci = (v: [number, number] | null, show: (n: number) => string) => (v ? `${show(v[0])} ~ ${show(v[1])}` : '–');
  return (
    <section class="result card" data-campaign={row.campaign} data-variant={row.variant} aria-labelledby={`r-${row.campaign}-${row.variant}`}>
      <h2 id={`r-${row.campaign}-${row.variant}`}>
        {campaignName(lang, row.name ?? row.campaign)} · {row.variant}
      </h2>
      <p class="muted template">{templateTitle(lang, row.template)}</p>
      {srm ? (
        <p class="warning srm" role="alert">
          {t('srm_warning', { expected: (srm.expected_holdout_share * 100).toFixed(1), observed: srm.observed_holdout_share === null ? '–' : (srm.observed_holdout_share * 100).toFixed(1) })}
        </p>
      ) : null}
      <p class={`verdict verdict-${row.lift.verdict}`}>{t(`verdict_${row.lift.verdict}`)}</p>
      <p class="verdict-detail">
        {t('lift_detail', { shown: f.pct(row.lift.shown_rate), holdout: f.pct(row.lift.holdout_rate), diff: f.points(row.lift.difference) })}
        {row.lift.more_visitors_needed ? ` ${t('more_visitors', { n: f.num(row.lift.more_visitors_needed) })}` : ''}
      </p>
      <dl class="kpis">
        <div class="kpi">
          <dt>{t('incremental_conversions')}</dt>
          <dd>{f.num(row.incremental_conversions)}</dd>
          <dd class="muted">{t('interval')}: {ci(row.incremental_conversions_ci95, f.num)}</dd>
        </div>
        <div class="kpi">
          <dt>{t('incremental_revenue')}</dt>
          <dd>{f.money(row.incremental_revenue)}</dd>
          <dd class="muted">{t('interval')}: {ci(row.incremental_revenue_ci95, f.money)}</dd>
        </div>
        <div class="kpi">
          <dt>{t('benefit_cost')}</dt>
          <dd>{f.money(row.benefit_cost)}</dd>
        </div>
        <div class="kpi">
          <dt>{t('roi')}</dt>
          <dd>{row.roi === null ? '–' : f.pct(row.roi, 0)}</dd>
        </div>
      </dl>
      <IntervalChart
        label={t('interval')}
        rows={[
          { name: t('conversion_rate'), estimate: row.lift.difference === null ? null : row.lift.difference * 100, low: row.lift.ci95 ? row.lift.ci95[0] * 100 : null, high: row.lift.ci95 ? row.lift.ci95[1] * 100 : null, text: `${f.points(row.lift.difference)} (${ci(row.lift.ci95, (n) => f.points(n))})` },
          { name: t('incremental_conversions'), estimate: row.incremental_conversions, low: row.incremental_conversions_ci95?.[0] ?? null, high: row.incremental_conversions_ci95?.[1] ?? null, text: `${f.num(row.incremental_conversions)} (${ci(row.incremental_conversions_ci95, f.num)})` },
        ]}
      />
      {row.incremental_revenue !== null ? (
        <IntervalChart
          label={t('incremental_revenue')}
          rows={[{ name: t('incremental_revenue'), estimate: row.incremental_revenue, low: row.incremental_revenue_ci95?.[0] ?? null, high: row.incremental_revenue_ci95?.[1] ?? null, text: `${f.money(row.incremental_revenue)} (${ci(row.incremental_revenue_ci95, f.money)})` }]}
        />
      ) : null}
      <p class="hint">{t('interval_caption')}</p>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <td />
              <th scope="col">{t('shown')}</th>
              <th scope="col">{t('holdout')}</th>
            </tr>
          </thead>
          <tbody>
            {metrics.map(([label, value]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>{value(row.shown)}</td>
                <td>{value(row.holdout)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LineChart
        label={t('daily')}
        labels={row.daily.map((d) => d.date)}
        series={[
          { name: t('shown'), tone: 0, values: row.daily.map((d) => d.conversions_shown) },
          { name: t('holdout'), tone: 3, values: row.daily.map((d) => d.conversions_holdout) },
        ]}
      />
    </section>
  );
}

export function ResultsPage({ campaign }: { campaign?: string }) {
  const { session, config, report: month, t, f, lang, wordError } = useAdmin();
  const [report, setReport] = useState<ReportT | null>(campaign ? null : month);
  const [error, setError] = useState('');
  const [, navigate] = useLocation();
  useEffect(() => {
    setReport(null);
    calls.report(session, campaign ? { campaign } : {}).then(setReport, (err) => setError(wordError(err)));
  }, [session, campaign]);
  const name = campaign ? campaignName(lang, config.campaigns.find((c) => c.id === campaign)?.name ?? campaign) : null;
  return (
    <section class="page results" aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title" tabIndex={-1} class="page-title">
          {name ? t('results_for', { name }) : t('page_results')}
        </h1>
        <label>
          {t('page_campaigns')}{' '}
          <select value={campaign ?? ''} onChange={(e) => navigate(e.currentTarget.value ? `/results/${encodeURIComponent(e.currentTarget.value)}` : '/results')}>
            <option value="">{t('all_campaigns')}</option>
            {config.campaigns.map((c) => (
              <option key={c.id} value={c.id}>{campaignName(lang, c.name)}</option>
            ))}
          </select>
        </label>
        {campaign ? <Link href={`/campaigns/${encodeURIComponent(campaign)}`}>{t('edit')}</Link> : null}
      </div>
      {error ? <p role="alert">{error}</p> : null}
      {report ? (
        <p class="muted">
          {t('period')}: {report.from} – {report.to}
        </p>
      ) : (
        <p>{t('loading')}</p>
      )}
      {report && report.campaigns.length === 0 ? <p class="empty-state">{t('no_report')}</p> : null}
      {report?.campaigns.map((row) => (
        <VariantResult key={`${row.campaign}-${row.variant}`} row={row} report={report} t={t} f={f} lang={lang} />
      ))}
    </section>
  );
}
