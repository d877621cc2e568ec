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

const ci = (v: [number, number] | null, show: (n: number) => string) => (v ? `${show(v[0])} ~ ${show(v[1])}` : '–');

/** One campaign: the verdict per variant, incremental conversions and revenue per variant with
 * their intervals (variants as rows of one scale), cost and return, shown against holdout, and
 * the daily conversions of all its variants. */
function CampaignResult({ rows, report, t, f, lang }: { rows: CampaignReportT[]; report: ReportT; t: T; f: Formats; lang: Lang }) {
  const first = rows[0]!;
  const srm = report.srm.checks.find((c) => c.campaign === first.campaign && c.mismatch);
  const metrics: [string, (g: CampaignReportT['shown']) => string][] = [
    [t('visitors'), (g) => f.num(g.visitors)],
    [t('impressions'), (g) => f.num(g.impressions)],
    [t('clicks'), (g) => f.num(g.clicks)],
    [t('conversions'), (g) => f.num(g.conversions)],
    [t('conversion_rate'), (g) => f.pct(g.conversion_rate)],
    [t('revenue'), (g) => f.money(g.revenue)],
  ];
  const days = first.daily.map((d) => d.date);
  const daily = (pick: (d: CampaignReportT['daily'][number]) => number) => days.map((date) => rows.reduce((s, r) => s + pick(r.daily.find((d) => d.date === date) ?? { date, shown_visitors: 0, holdout_visitors: 0, impressions: 0, clicks: 0, conversions_shown: 0, conversions_holdout: 0, revenue_shown: 0, revenue_holdout: 0 }), 0));
  const name = campaignName(lang, first.name ?? first.campaign);
  return (
    <section class="result card" data-campaign={first.campaign} aria-labelledby={`r-${first.campaign}`}>
      <h2 id={`r-${first.campaign}`}>{name}</h2>
      <p class="muted template">{templateTitle(lang, first.template)}</p>
      {srm ? (
        <p class="warning srm" role="alert">
          {t('srm_warning', { expected: (srm.expected_holdout_share * 100).toFixed(1), observed: srm.observed_holdout_share === null ? '–' : (srm.observed_holdout_share * 100).toFixed(1) })}
        </p>
      ) : null}
      {rows.map((row) => (
        <div key={row.variant} class="variant-verdict" data-variant={row.variant}>
          <p class={`verdict verdict-${row.lift.verdict}`}>
            {rows.length > 1 ? `${row.variant}: ` : ''}
            {t(`verdict_${row.lift.verdict}`)}
          </p>
          <p class="verdict-detail">
            {t('lift_detail', { shown: f.pct(row.lift.shown_rate), holdout: f.pct(row.lift.holdout_rate), diff: f.points(row.lift.difference) })}
            {row.lift.more_visitors_needed ? ` ${t('more_visitors', { n: f.num(row.lift.more_visitors_needed) })}` : ''}
          </p>
        </div>
      ))}
      <div class="table-scroll">
        <table class="money">
          <thead>
            <tr>
              <th scope="col">{t('variant')}</th>
              <th scope="col">{t('incremental_conversions')}</th>
              <th scope="col">{t('incremental_revenue')}</th>
              <th scope="col">{t('benefit_cost')}</th>
              <th scope="col">{t('roi')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.variant} data-variant={row.variant}>
                <th scope="row">{row.variant}</th>
                <td>
                  {f.num(row.incremental_conversions)}
                  <span class="muted"> ({t('interval')} {ci(row.incremental_conversions_ci95, f.num)})</span>
                </td>
                <td>
                  {f.money(row.incremental_revenue)}
                  <span class="muted"> ({t('interval')} {ci(row.incremental_revenue_ci95, f.money)})</span>
                </td>
                <td>{f.money(row.benefit_cost)}</td>
                <td>{row.roi === null ? '–' : f.pct(row.roi, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="two-columns">
        <figure class="chart-figure">
          <figcaption>{t('incremental_conversions')}</figcaption>
          <IntervalChart
            label={t('incremental_conversions')}
            rows={rows.map((row) => ({ name: row.variant, estimate: row.incremental_conversions, low: row.incremental_conversions_ci95?.[0] ?? null, high: row.incremental_conversions_ci95?.[1] ?? null, text: `${f.num(row.incremental_conversions)} (${ci(row.incremental_conversions_ci95, f.num)})` }))}
          />
        </figure>
        {rows.some((row) => row.incremental_revenue !== null) ? (
          <figure class="chart-figure">
            <figcaption>{t('incremental_revenue')}</figcaption>
            <IntervalChart
              label={t('incremental_revenue')}
              rows={rows.map((row) => ({ name: row.variant, estimate: row.incremental_revenue, low: row.incremental_revenue_ci95?.[0] ?? null, high: row.incremental_revenue_ci95?.[1] ?? null, text: `${f.money(row.incremental_revenue)} (${ci(row.incremental_revenue_ci95, f.money)})` }))}
            />
          </figure>
        ) : null}
      </div>
      <p class="hint">{t('interval_caption')}</p>
      {rows.map((row) => (
        <div key={row.variant} class="table-scroll" data-variant={row.variant}>
          <table class="groups">
            <caption>{rows.length > 1 ? `${t('variant')} ${row.variant}` : t('shown_vs_holdout')}</caption>
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
      ))}
      <h3>{t('daily')}</h3>
      <LineChart
        label={t('daily')}
        labels={days}
        series={[
          { name: t('shown'), tone: 0, values: daily((d) => d.conversions_shown) },
          { name: t('holdout'), tone: 3, values: daily((d) => d.conversions_holdout) },
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
      {report
        ? [...new Set(report.campaigns.map((r) => r.campaign))].map((id) => (
            <CampaignResult key={id} rows={report.campaigns.filter((r) => r.campaign === id)} report={report} t={t} f={f} lang={lang} />
          ))
        : null}
    </section>
  );
}
