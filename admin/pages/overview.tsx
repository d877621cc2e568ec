// Overview: shoppers per stage week by week and the moves between stages, prompts shown,
// conversions, incremental revenue and return on benefit cost for the last week, the store-wide
// control group's comparison, and what changed since the week before. Four weekly reports of the
// existing report route, no endpoint of its own.
import { useEffect, useState } from 'preact/hooks';
import type { DeadLettersT, ReportT, StageT } from '../../edge/contract';
import { calls } from '../api';
import { LineChart } from '../charts';
import { STAGE_NAMES } from '../i18n';
import { useAdmin } from '../state';
import { addDays, siteToday, totals } from './report-data';

const WEEKS = 4;
const STAGES: StageT[] = ['prospect', 'new', 'active', 'at_risk', 'dormant', 'wakeup'];
const EXCLUDED_REASONS = ['cloudflare_bot', 'webdriver', 'bot_user_agent', 'staff', 'test_browser'] as const satisfies readonly (keyof ReportT['excluded_events']['by_reason'])[];

/** Parked messages listed on the card (the oldest first); the count says how many more there are. */
const DEAD_LETTERS_LISTED = 5;

/** Queue mode's parked ingest messages: how many, the latest reason, a replay, and a discard for a
 * message no replay can store (a malformed body). Shown in queue mode, or in direct mode while
 * anything is still parked. */
function DeadLettersCard() {
  const { session, t, f, wordError } = useAdmin();
  const [state, setState] = useState<DeadLettersT | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const load = () => calls.deadLetters(session).then(setState, (err) => setNote(wordError(err)));
  useEffect(() => void load(), [session]);
  if (!state || (state.ingest_mode === 'direct' && state.count === 0)) return note ? <p role="status">{note}</p> : null;
  const replay = async () => {
    setBusy(true);
    try {
      const outcome = await calls.replayDeadLetters(session);
      setNote(t('dead_letters_replayed', { n: outcome.replayed, events: outcome.events_stored, remaining: outcome.remaining }));
      await load();
    } catch (err) {
      setNote(wordError(err));
    } finally {
      setBusy(false);
    }
  };
  const discard = async (id: number) => {
    if (!window.confirm(t('dead_letters_discard_confirm'))) return;
    setBusy(true);
    try {
      const outcome = await calls.discardDeadLetter(session, id);
      setNote(t('dead_letters_discarded', { remaining: outcome.remaining }));
      await load();
    } catch (err) {
      setNote(wordError(err));
    } finally {
      setBusy(false);
    }
  };
  const latest = state.dead_letters.at(-1);
  const listed = state.dead_letters.slice(0, DEAD_LETTERS_LISTED);
  return (
    <section class="card" aria-labelledby="dead-letters-title" data-card="dead-letters">
      <h2 id="dead-letters-title">{t('dead_letters_title')}</h2>
      <p class="hint">{t('dead_letters_hint')}</p>
      <dl class="kpis">
        <div class="kpi" data-kpi="dead_letters">
          <dt>{t('dead_letters_count')}</dt>
          <dd>{f.num(state.count)}</dd>
        </div>
      </dl>
      {latest ? <p>{t('dead_letters_reason', { reason: latest.reason })}</p> : null}
      {listed.length > 0 ? (
        <ul class="dead-letters" aria-label={t('dead_letters_list')}>
          {listed.map((d) => (
            <li key={d.id} data-dead-letter={d.id}>
              <span>{t('dead_letters_item', { reason: d.reason, events: d.events === null ? '–' : f.num(d.events), when: f.date(d.parked_at) })}</span>{' '}
              <button type="button" class="secondary" onClick={() => void discard(d.id)} disabled={busy} aria-label={t('dead_letters_discard_label', { id: d.id })}>
                {t('dead_letters_discard')}
              </button>
            </li>
          ))}
          {state.count > listed.length ? <li>{t('dead_letters_more', { n: f.num(state.count - listed.length) })}</li> : null}
        </ul>
      ) : null}
      <button type="button" onClick={replay} disabled={busy || state.count === 0}>
        {t('dead_letters_replay')}
      </button>
      <p role="status" class="hint">
        {note}
      </p>
    </section>
  );
}

export function OverviewPage() {
  const { session, t, f, lang, report, wordError } = useAdmin();
  const [weeks, setWeeks] = useState<ReportT[] | null>(null);
  const [error, setError] = useState('');
  const today = siteToday(report);
  useEffect(() => {
    const periods = Array.from({ length: WEEKS }, (_, i) => {
      const to = addDays(today, -7 * (WEEKS - 1 - i));
      return { from: addDays(to, -6), to };
    });
    Promise.all(periods.map((p) => calls.report(session, p))).then(setWeeks, (err) => setError(wordError(err)));
  }, [session, today]);

  const last = weeks?.at(-1) ?? null;
  const before = weeks?.at(-2) ?? null;
  const now = totals(last);
  const then = totals(before);
  const cg = report?.control_group ?? null;
  const labels = (weeks ?? []).map((w) => t('week_of', { date: w.from.slice(5) }));
  const change = (what: string, a: number, b: number, show: (n: number) => string) =>
    b > a ? t('change_up', { what, before: show(a), after: show(b) }) : b < a ? t('change_down', { what, before: show(a), after: show(b) }) : t('change_same', { what, after: show(b) });

  return (
    <section class="page overview" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1} class="page-title">
        {t('page_overview')}
      </h1>
      {error ? <p role="alert">{error}</p> : null}
      {!weeks ? <p>{t('loading')}</p> : null}
      {last ? (
        <>
          <h2>{t('period_week')} ({last.from} – {last.to})</h2>
          <dl class="kpis">
            <div class="kpi" data-kpi="impressions">
              <dt>{t('prompts_shown')}</dt>
              <dd>{f.num(now.impressions)}</dd>
            </div>
            <div class="kpi" data-kpi="conversions">
              <dt>{t('conversions')}</dt>
              <dd>{f.num(now.conversions)}</dd>
            </div>
            <div class="kpi" data-kpi="incremental_revenue">
              <dt>{t('incremental_revenue')}</dt>
              <dd>{f.money(now.incrementalRevenue)}</dd>
            </div>
            <div class="kpi" data-kpi="roi">
              <dt>{t('roi')}</dt>
              <dd>{now.roi === null ? '–' : f.pct(now.roi, 0)}</dd>
            </div>
          </dl>
          <section class="card" aria-labelledby="changes-title">
            <h2 id="changes-title">{t('changes')}</h2>
            <ul class="changes">
              <li>{change(t('prompts_shown'), then.impressions, now.impressions, f.num)}</li>
              <li>{change(t('conversions'), then.conversions, now.conversions, f.num)}</li>
              <li>{change(t('incremental_revenue'), then.incrementalRevenue, now.incrementalRevenue, f.money)}</li>
              {before
                ? STAGES.map((s) => (
                    <li key={s}>{change(STAGE_NAMES[lang][s], before.stages.counts[s] ?? 0, last.stages.counts[s] ?? 0, f.num)}</li>
                  ))
                : null}
            </ul>
          </section>
          <div class="two-columns">
            <section class="card" aria-labelledby="stages-title">
              <h2 id="stages-title">{t('shoppers_per_stage')}</h2>
              <LineChart
                label={t('shoppers_per_stage')}
                labels={labels}
                series={STAGES.map((s, i) => ({ name: STAGE_NAMES[lang][s], tone: i, values: weeks!.map((w) => w.stages.counts[s] ?? 0) }))}
              />
              <div class="table-scroll">
                <table class="stage-table">
                  <caption class="visually-hidden">{t('shoppers_per_stage')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('stages')}</th>
                      {labels.map((l) => (
                        <th key={l} scope="col">{l}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {STAGES.map((s) => (
                      <tr key={s} data-stage={s}>
                        <th scope="row">{STAGE_NAMES[lang][s]}</th>
                        {weeks!.map((w) => (
                          <td key={w.from}>{f.num(w.stages.counts[s] ?? 0)}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
            <section class="card" aria-labelledby="moves-title">
              <h2 id="moves-title">{t('moves_per_week')}</h2>
              {weeks!.every((w) => w.stages.transitions.length === 0) ? (
                <p class="empty-state">{t('moves_none')}</p>
              ) : (
                <div class="table-scroll">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('moves_per_week')}</th>
                        {labels.map((l) => (
                          <th key={l} scope="col">{l}</th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {[...new Set(weeks!.flatMap((w) => w.stages.transitions.map((m) => `${m.from}>${m.to}`)))].map((move) => {
                        const [from, to] = move.split('>') as [StageT, StageT];
                        return (
                          <tr key={move}>
                            <th scope="row">
                              {STAGE_NAMES[lang][from]} → {STAGE_NAMES[lang][to]}
                            </th>
                            {weeks!.map((w) => (
                              <td key={w.from}>{f.num(w.stages.transitions.find((m) => m.from === from && m.to === to)?.visitors ?? 0)}</td>
                            ))}
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          </div>
          <section class="card" aria-labelledby="excluded-title" data-card="excluded">
            <h2 id="excluded-title">{t('excluded_title')}</h2>
            <p>{t('excluded_hint')}</p>
            <dl class="excluded">
              <div>
                <dt>{t('excluded_total')}</dt>
                <dd>{f.num(last.excluded_events.total)}</dd>
              </div>
              {EXCLUDED_REASONS.map((reason) => (
                <div key={reason} data-reason={reason}>
                  <dt>{t(`excluded_${reason}`)}</dt>
                  <dd>{f.num(last.excluded_events.by_reason[reason])}</dd>
                </div>
              ))}
            </dl>
          </section>
        </>
      ) : null}
      <DeadLettersCard />
      {cg ? (
        <section class="card" aria-labelledby="control-title">
          <h2 id="control-title">{t('control_group')}</h2>
          <p>{t('control_group_hint', { p: cg.control_group_percent })}</p>
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th />
                  <th scope="col">{t('control')}</th>
                  <th scope="col">{t('others')}</th>
                  <th scope="col">{t('difference')}</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">{t('conversion_rate')}</th>
                  <td>{f.pct(cg.control.conversion_rate)}</td>
                  <td>{f.pct(cg.others.conversion_rate)}</td>
                  <td>{f.points(cg.difference.conversion_rate)}</td>
                </tr>
                <tr>
                  <th scope="row">{t('revenue_per_shopper')}</th>
                  <td>{f.money(cg.control.revenue_per_shopper)}</td>
                  <td>{f.money(cg.others.revenue_per_shopper)}</td>
                  <td>{f.money(cg.difference.revenue_per_shopper)}</td>
                </tr>
                <tr>
                  <th scope="row">{t('repeat_rate')}</th>
                  <td>{f.pct(cg.control.repeat_purchase_rate)}</td>
                  <td>{f.pct(cg.others.repeat_purchase_rate)}</td>
                  <td>{f.points(cg.difference.repeat_purchase_rate)}</td>
                </tr>
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </section>
  );
}
