// Results per widget and variant (edge/contract/report.ts): shown vs holdout tables, the lift
// verdict, and the daily conversions as a small SVG chart. A 404 (no report yet) shows a note.
import type { DailyPoint, ReportT, CampaignReportT } from '../edge/contract/report';
import type { z } from 'zod';
import type { Lang, T } from './i18n';
import { WIDGET_TITLES } from './i18n';

type Daily = z.infer<typeof DailyPoint>;

const pct = (rate: number | null) => (rate === null ? '–' : `${(rate * 100).toFixed(1)}%`);
const num = (n: number) => n.toLocaleString();

/** Two lines over the days: conversions among shown visitors and among held-out ones. */
export function DailyChart({ daily, t }: { daily: Daily[]; t: T }) {
  const width = 360;
  const height = 120;
  const pad = 20;
  const max = Math.max(1, ...daily.flatMap((d) => [d.conversions_shown, d.conversions_holdout]));
  const x = (i: number) => pad + (daily.length <= 1 ? 0 : (i * (width - 2 * pad)) / (daily.length - 1));
  const y = (v: number) => height - pad - (v * (height - 2 * pad)) / max;
  const line = (pick: (d: Daily) => number) => daily.map((d, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(pick(d)).toFixed(1)}`).join(' ');
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t('daily')}>
      <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} class="axis" />
      <path d={line((d) => d.conversions_shown)} class="series-shown" fill="none" />
      <path d={line((d) => d.conversions_holdout)} class="series-holdout" fill="none" />
      <text x={pad} y={12} class="chart-label">{`max ${max}`}</text>
      {daily.length ? <text x={width - pad} y={height - 4} text-anchor="end" class="chart-label">{daily[daily.length - 1]!.date}</text> : null}
      {daily.length ? <text x={pad} y={height - 4} class="chart-label">{daily[0]!.date}</text> : null}
    </svg>
  );
}

function WidgetResult({ report, t, lang }: { report: CampaignReportT; t: T; lang: Lang }) {
  const rows: [string, (g: CampaignReportT['shown']) => string][] = [
    [t('visitors'), (g) => num(g.visitors)],
    [t('impressions'), (g) => num(g.impressions)],
    [t('clicks'), (g) => num(g.clicks)],
    [t('conversions'), (g) => num(g.conversions)],
    [t('conversion_rate'), (g) => pct(g.conversion_rate)],
    [t('revenue'), (g) => num(g.revenue)],
  ];
  return (
    <section class="result" data-widget={report.template} data-campaign={report.campaign}>
      <h3>
        {report.name ?? report.campaign} · {report.variant}
      </h3>
      <p class="template">{WIDGET_TITLES[lang][report.template] ?? report.template}</p>
      <p class={`verdict verdict-${report.lift.verdict}`}>{t(`verdict_${report.lift.verdict}`)}</p>
      <p class="verdict-detail">{report.lift.message}</p>
      <table>
        <thead>
          <tr>
            <th />
            <th scope="col">{t('shown')}</th>
            <th scope="col">{t('holdout')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{value(report.shown)}</td>
              <td>{value(report.holdout)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <figure>
        <DailyChart daily={report.daily} t={t} />
        <figcaption>
          <span class="key-shown">{t('shown')}</span> · <span class="key-holdout">{t('holdout')}</span> — {t('daily')}
        </figcaption>
      </figure>
    </section>
  );
}

export function Results({ report, t, lang }: { report: ReportT | null; t: T; lang: Lang }) {
  if (!report || report.campaigns.length === 0) return <p class="empty-state">{t('no_report')}</p>;
  return (
    <div class="results">
      <p>
        {report.from} – {report.to}
      </p>
      {report.campaigns.map((w) => (
        <WidgetResult key={`${w.campaign}-${w.variant}`} report={w} t={t} lang={lang} />
      ))}
      <section class="stages">
        <h3>{t('stages')}</h3>
        <table>
          <tbody>
            {Object.entries(report.stages.counts).map(([stage, n]) => (
              <tr key={stage}>
                <th scope="row">{stage}</th>
                <td>{num(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
