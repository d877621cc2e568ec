// The journey map: stages as rows, touch points as cells (admin/journey-map.ts). Each cell shows
// its campaigns with their state, the shoppers in their stages today, shown this week and lift,
// and opens the campaign; a cell no campaign or hand-off covers says so and offers to create one.
import { useEffect, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import type { ReportT } from '../../edge/contract';
import { calls } from '../api';
import { campaignName, STAGE_NAMES } from '../i18n';
import { campaignsOf, campaignState, handoffsOf, JOURNEY_ROWS, TOUCH_POINTS } from '../journey-map';
import { useAdmin } from '../state';
import { addDays, audienceSize, rowsOf, siteToday } from './report-data';

export function JourneyPage() {
  const { session, config, report, t, f, lang } = useAdmin();
  const [week, setWeek] = useState<ReportT | null>(null);
  const today = siteToday(report);
  useEffect(() => {
    calls.report(session, { from: addDays(today, -6), to: today }).then(setWeek, () => setWeek(null));
  }, [session, today]);

  return (
    <section class="page journey" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1} class="page-title">
        {t('page_journey')}
      </h1>
      <p class="hint">{t('journey_hint')}</p>
      <div class="journey-map">
        {JOURNEY_ROWS.map((row) => (
          <section key={row} class="journey-row" data-row={row} aria-labelledby={`row-${row}`}>
            <h2 id={`row-${row}`} class="journey-stage">
              {row === 'any' ? t('stage_any') : STAGE_NAMES[lang][row]}
            </h2>
            <ul class="journey-cells">
              {TOUCH_POINTS.filter((p) => p.row === row).map((point) => {
                const campaigns = campaignsOf(point, config.campaigns);
                const handoffs = handoffsOf(point, config);
                const covered = campaigns.some((c) => campaignState(c) === 'on') || handoffs.length > 0;
                return (
                  <li key={point.id} class={`cell ${covered ? 'covered' : 'uncovered'}`} data-touchpoint={point.id} data-covered={String(covered)}>
                    <h3>{point.title[lang]}</h3>
                    {campaigns.map((c) => {
                      const state = campaignState(c);
                      const shown = rowsOf(week, c.id).reduce((s, r) => s + r.shown.impressions, 0);
                      const lift = rowsOf(report, c.id)[0]?.lift ?? null;
                      return (
                        <Link key={c.id} href={`/campaigns/${encodeURIComponent(c.id)}`} class="cell-campaign" data-campaign={c.id}>
                          <span class={`badge state-${state}`}>{t(state)}</span> <span class="name">{campaignName(lang, c.name)}</span>
                          <span class="facts">
                            {t('audience_today', { n: f.num(audienceSize(report, c.audience.stages)) })} · {t('shown_week', { n: f.num(shown) })} · {t('lift')}{' '}
                            {lift && lift.relative_lift !== null ? f.pct(lift.relative_lift, 0) : '–'}
                          </span>
                        </Link>
                      );
                    })}
                    {handoffs.map((h) => (
                      <p key={h.id} class="cell-handoff">
                        {t('handoff_covered', { name: campaignName(lang, h.name || h.id) })}
                      </p>
                    ))}
                    {!covered ? (
                      <p class="cell-empty">
                        <span class="badge state-none">{t('uncovered')}</span>{' '}
                        <Link href={`/campaigns/new?point=${point.id}`} class="create-here">
                          {t('create_here')}
                          <span class="visually-hidden">: {point.title[lang]}</span>
                        </Link>
                      </p>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </div>
    </section>
  );
}
