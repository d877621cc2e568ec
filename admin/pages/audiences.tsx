// Audiences and hand-offs: shoppers per campaign audience (by its stages), one shopper looked up,
// each hand-off's members in the last 30 days by group with its CSV, the delivery log with failures and replay,
// the leads and reviews downloads, and the staff member ids kept out of the data (the traffic
// filter). Everything shown comes from JSON; CSV is only downloaded.
import { useEffect, useState } from 'preact/hooks';
import type { DeliveryLogT } from '../../edge/contract';
import { calls, download, type HandoffMembersT } from '../api';
import { campaignName, STAGE_NAMES, type Key } from '../i18n';
import { useAdmin } from '../state';
import { audienceSize } from './report-data';
import { ShopperLookup } from './shopper-lookup';

const GROUP_KEYS: Record<string, Key> = { sent: 'group_sent', holdout: 'group_holdout', control: 'group_control', no_consent: 'group_no_consent', capped: 'group_capped' };

export function AudiencesPage() {
  const admin = useAdmin();
  const { session, config, report, t, f, lang, wordError } = admin;
  const [members, setMembers] = useState<Record<string, HandoffMembersT>>({});
  const [log, setLog] = useState<DeliveryLogT | null>(null);
  const [failedOnly, setFailedOnly] = useState(false);
  const [note, setNote] = useState('');
  useEffect(() => {
    for (const h of config.handoffs) calls.handoffMembers(session, h.id).then((m) => setMembers((all) => ({ ...all, [h.id]: m })), () => {});
  }, [session, config]);
  const loadLog = () => calls.deliveries(session, failedOnly ? 'failed' : undefined).then(setLog, (err) => setNote(wordError(err)));
  useEffect(() => void loadLog(), [session, failedOnly]);
  const replay = async (ids?: string[]) => {
    try {
      const { replayed } = await calls.replay(session, ids);
      setNote(t('replayed', { n: replayed }));
      await loadLog();
    } catch (err) {
      setNote(wordError(err));
    }
  };

  return (
    <section class="page audiences" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1} class="page-title">
        {t('page_audiences')}
      </h1>
      <section class="card" aria-labelledby="aud-title">
        <h2 id="aud-title">{t('audience_counts')}</h2>
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('page_campaigns')}</th>
                <th scope="col">{t('stages')}</th>
                <th scope="col">{t('visitors')}</th>
              </tr>
            </thead>
            <tbody>
              {config.campaigns.map((c) => (
                <tr key={c.id} data-campaign={c.id}>
                  <th scope="row">{campaignName(lang, c.name)}</th>
                  <td>{c.audience.stages.map((s) => STAGE_NAMES[lang][s]).join(', ') || t('any')}</td>
                  <td>{f.num(audienceSize(report, c.audience.stages))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card" aria-labelledby="handoffs-title">
        <h2 id="handoffs-title">{t('handoffs')}</h2>
        <ul class="handoff-list">
          {config.handoffs.map((h) => {
            const m = members[h.id];
            const total = m ? Object.values(m.counts).reduce((s, n) => s + n, 0) : null;
            return (
              <li key={h.id} data-handoff={h.id}>
                <h3>{campaignName(lang, h.name || h.id)}</h3>
                <p>{t('handoff_members', { n: f.num(total) })}</p>
                {m && total ? (
                  <ul class="groups">
                    {Object.entries(m.counts).map(([group, n]) => (
                      <li key={group}>
                        {GROUP_KEYS[group] ? t(GROUP_KEYS[group]!) : group}: {f.num(n)}
                      </li>
                    ))}
                  </ul>
                ) : null}
                <button type="button" class="secondary" onClick={() => void download(session, `/handoffs/${h.id}.csv`, `${session.site}-${h.id}.csv`)}>
                  {t('download_csv')}
                  <span class="visually-hidden">: {campaignName(lang, h.name || h.id)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </section>
      <section class="card" aria-labelledby="log-title">
        <h2 id="log-title">{t('deliveries')}</h2>
        <div class="toolbar">
          <label class="choice">
            <input type="checkbox" checked={failedOnly} onChange={(e) => setFailedOnly(e.currentTarget.checked)} />
            {t('delivery_failed_only')}
          </label>
          <button type="button" class="secondary" onClick={() => void replay()}>
            {t('replay_failed')}
          </button>
        </div>
        <p role="status" class="hint">
          {note}
        </p>
        {log && log.deliveries.length === 0 ? <p class="empty-state">{t('no_deliveries')}</p> : null}
        {log && log.deliveries.length ? (
          <div class="table-scroll">
            <table class="deliveries">
              <thead>
                <tr>
                  <th scope="col">{t('when')}</th>
                  <th scope="col">{t('topic')}</th>
                  <th scope="col">{t('filter_state')}</th>
                  <th scope="col">{t('attempts')}</th>
                  <th scope="col">{t('last_error')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('replay_one')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {log.deliveries.map((d) => (
                  <tr key={d.id} data-delivery={d.id} data-state={d.state}>
                    <td>{f.date(d.created_at)}</td>
                    <td>{d.topic}</td>
                    <td>{t(`state_${d.state}`)}</td>
                    <td>{f.num(d.attempts)}</td>
                    <td>{d.last_status ? `HTTP ${d.last_status}` : ''} {d.last_error ?? ''}</td>
                    <td>
                      {d.state === 'failed' ? (
                        <button type="button" class="secondary" onClick={() => void replay([d.id])}>
                          {t('replay_one')}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <ShopperLookup />
      <StaffCard />
      <section class="card" aria-labelledby="exports-title">
        <h2 id="exports-title">{t('exports')}</h2>
        <div class="toolbar">
          <button type="button" class="secondary" data-export="leads.csv" onClick={() => void download(session, '/leads.csv', `${session.site}-leads.csv`)}>
            {t('leads')} · {t('download_csv')}
          </button>
          <button type="button" class="secondary" data-export="reviews.csv" onClick={() => void download(session, '/reviews.csv', `${session.site}-reviews.csv`)}>
            {t('reviews')} · {t('download_csv')}
          </button>
        </div>
      </section>
    </section>
  );
}

/** The site's staff member ids: one per line, saved with the site's own token (PUT …/staff). */
function StaffCard() {
  const { session, report, t, f, wordError } = useAdmin();
  const [text, setText] = useState<string | null>(null);
  const [note, setNote] = useState('');
  useEffect(() => {
    calls.staff(session).then((site) => setText(site.staff_user_ids.join('\n')), (err) => setNote(wordError(err)));
  }, [session]);
  const save = async (e: Event) => {
    e.preventDefault();
    const ids = (text ?? '').split('\n').map((line) => line.trim()).filter(Boolean);
    try {
      const saved = await calls.saveStaff(session, ids);
      setText(saved.staff_user_ids.join('\n'));
      setNote(t('staff_saved', { n: f.num(saved.staff_user_ids.length) }));
    } catch (err) {
      setNote(wordError(err));
    }
  };
  return (
    <section class="card staff" aria-labelledby="staff-title">
      <h2 id="staff-title">{t('staff_title')}</h2>
      <p class="hint" id="staff-hint">
        {t('staff_hint')}
      </p>
      {report ? <p>{t('staff_excluded', { n: f.num(report.excluded_events.by_reason.staff) })}</p> : null}
      <form onSubmit={save}>
        <label for="staff-ids">{t('staff_ids')}</label>
        <textarea id="staff-ids" rows={4} aria-describedby="staff-hint" value={text ?? ''} disabled={text === null} onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit" disabled={text === null}>
          {t('staff_save')}
        </button>
      </form>
      <p role="status" class="hint" data-staff-status>
        {note}
      </p>
    </section>
  );
}
