// Campaigns: the list with filters (state, stage, template, name) and its actions (edit,
// duplicate, pause or switch on, results); the template gallery a new campaign starts from (the
// ready journey's campaigns, then every template's defaults); and the config's history with rollback.
import { useEffect, useState } from 'preact/hooks';
import { Link, useLocation, useSearch } from 'wouter-preact';
import type { CampaignT, ConfigHistoryT, StageT, TemplateGalleryT } from '../../edge/contract';
import { calls } from '../api';
import { toLocalInput } from '../fields';
import { campaignName, STAGE_NAMES, templateTitle } from '../i18n';
import { campaignState, TOUCH_POINTS, type CampaignState } from '../journey-map';
import { useAdmin, type Admin } from '../state';

const STAGES: StageT[] = ['prospect', 'new', 'active', 'at_risk', 'dormant', 'wakeup'];

/** An id not used by any campaign yet, from `base`. */
export function freeId(campaigns: readonly CampaignT[], base: string): string {
  const stem = base.replace(/[^a-z0-9_-]/g, '-').slice(0, 50) || 'campaign';
  const taken = new Set(campaigns.map((c) => c.id));
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}

/** A name no campaign has yet: "가입 혜택 / Sign-up benefit" becomes "가입 혜택 2 / Sign-up benefit 2"
 * (each language's half numbered, so both read right). */
export function freeName(campaigns: readonly CampaignT[], name: string): string {
  const taken = new Set(campaigns.map((c) => c.name));
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) {
    const numbered = name.split(' / ').map((half) => `${half} ${n}`).join(' / ');
    if (!taken.has(numbered)) return numbered;
  }
}

/** Adds `campaign` (switched off, under a free id) and saves; the new id, or null if refused. */
export async function addCampaign(admin: Admin, campaign: CampaignT, name: string): Promise<string | null> {
  const id = freeId(admin.config.campaigns, campaign.id);
  const copy: CampaignT = { ...structuredClone(campaign), id, name: freeName(admin.config.campaigns, name).slice(0, 100), enabled: false };
  const saved = await admin.save({ ...admin.config, campaigns: [...admin.config.campaigns, copy] });
  return saved ? id : null;
}

export function CampaignsPage() {
  const admin = useAdmin();
  const { config, t, lang } = admin;
  const [state, setState] = useState<'' | CampaignState>('');
  const [stage, setStage] = useState<'' | StageT>('');
  const [template, setTemplate] = useState('');
  const [query, setQuery] = useState('');
  const [, navigate] = useLocation();
  const templates = [...new Set(config.campaigns.map((c) => c.template))];
  const shown = config.campaigns.filter(
    (c) =>
      (!state || campaignState(c) === state) &&
      (!stage || c.audience.stages.includes(stage)) &&
      (!template || c.template === template) &&
      (!query || c.name.toLowerCase().includes(query.toLowerCase()) || c.id.includes(query.toLowerCase())),
  );
  const setEnabled = (id: string, enabled: boolean) => admin.save({ ...config, campaigns: config.campaigns.map((c) => (c.id === id ? { ...c, enabled } : c)) });

  return (
    <section class="page campaigns" aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title" tabIndex={-1} class="page-title">
          {t('campaigns_list')}
        </h1>
        <Link href="/campaigns/new" class="button">
          {t('new_campaign')}
        </Link>
        <Link href="/campaigns/history" class="button secondary">
          {t('history')}
        </Link>
      </div>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('filter_state')}
          <select value={state} onChange={(e) => setState(e.currentTarget.value as '' | CampaignState)}>
            <option value="">{t('state_all')}</option>
            {(['on', 'off', 'scheduled', 'ended'] as const).map((s) => (
              <option key={s} value={s}>{t(s)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('filter_stage')}
          <select value={stage} onChange={(e) => setStage(e.currentTarget.value as '' | StageT)}>
            <option value="">{t('state_all')}</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>{STAGE_NAMES[lang][s]}</option>
            ))}
          </select>
        </label>
        <label>
          {t('filter_template')}
          <select value={template} onChange={(e) => setTemplate(e.currentTarget.value)}>
            <option value="">{t('state_all')}</option>
            {templates.map((name) => (
              <option key={name} value={name}>{templateTitle(lang, name)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('filter_search')}
          <input type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        </label>
      </form>
      {shown.length === 0 ? <p class="empty-state">{t('no_campaigns')}</p> : null}
      <ul class="campaign-list">
        {shown.map((c) => {
          const s = campaignState(c);
          const name = campaignName(lang, c.name);
          return (
            <li key={c.id} class="campaign-row card" data-campaign={c.id}>
              <div class="campaign-main">
                <span class={`badge state-${s}`}>{t(s)}</span>{' '}
                <Link href={`/campaigns/${encodeURIComponent(c.id)}`} class="campaign-name">
                  {name}
                </Link>
                <p class="muted">
                  {templateTitle(lang, c.template)} · {c.audience.stages.map((st) => STAGE_NAMES[lang][st]).join(', ') || t('any')}
                  {c.schedule.start || c.schedule.end ? ` · ${toLocalInput(c.schedule.start).replace('T', ' ')} – ${toLocalInput(c.schedule.end).replace('T', ' ')}` : ''}
                </p>
              </div>
              <div class="campaign-actions" role="group" aria-label={name}>
                <button type="button" class="secondary" onClick={() => void setEnabled(c.id, !c.enabled)}>
                  {c.enabled ? t('pause') : t('resume')}
                </button>
                <button
                  type="button"
                  class="secondary"
                  onClick={async () => {
                    const id = await addCampaign(admin, c, t('copy_of', { name: c.name }));
                    if (id) navigate(`/campaigns/${encodeURIComponent(id)}`);
                  }}
                >
                  {t('duplicate')}
                </button>
                <Link href={`/results/${encodeURIComponent(c.id)}`} class="button secondary">
                  {t('page_results')}
                </Link>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function NewCampaignPage() {
  const admin = useAdmin();
  const { session, t, lang, wordError } = admin;
  const search = new URLSearchParams(useSearch());
  const point = TOUCH_POINTS.find((p) => p.id === search.get('point')) ?? null;
  const [gallery, setGallery] = useState<TemplateGalleryT | null>(null);
  const [error, setError] = useState('');
  const [, navigate] = useLocation();
  useEffect(() => {
    calls.templates(session).then(setGallery, (err) => setError(wordError(err)));
  }, [session]);
  const fits = (c: CampaignT) => !point || point.campaigns.includes(c.id) || point.templates.includes(c.template);
  const create = async (c: CampaignT, name: string) => {
    const id = await addCampaign(admin, c, name);
    if (id) {
      admin.say(t('created'));
      navigate(`/campaigns/${encodeURIComponent(id)}`);
    }
  };
  const ready = gallery?.journey.filter(fits) ?? [];
  const blanks = gallery?.templates.filter((c) => !point || point.templates.includes(c.template)) ?? [];

  return (
    <section class="page gallery" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1} class="page-title">
        {t('gallery')}
      </h1>
      {point ? <p class="hint">{t('for_touchpoint', { name: point.title[lang] })}</p> : null}
      <p class="hint">{t('gallery_hint')}</p>
      {error ? <p role="alert">{error}</p> : null}
      {gallery ? (
        <>
          <h2>{t('gallery_ready')}</h2>
          <ul class="gallery-grid">
            {ready.map((c) => (
              <li key={c.id} class="card gallery-card" data-template-campaign={c.id}>
                <h3>{campaignName(lang, c.name)}</h3>
                <p class="muted">
                  {templateTitle(lang, c.template)} · {c.audience.stages.map((s) => STAGE_NAMES[lang][s]).join(', ')}
                </p>
                <p>{c.variants[0]?.copy[lang]['title'] ?? ''}</p>
                <button type="button" onClick={() => void create(c, c.name)} aria-label={`${t('use_this')}: ${campaignName(lang, c.name)}`}>
                  {t('use_this')}
                </button>
              </li>
            ))}
          </ul>
          {blanks.length ? (
            <>
              <h2>{t('gallery_blank')}</h2>
              <ul class="gallery-grid">
                {blanks.map((c) => (
                  <li key={c.template} class="card gallery-card" data-template={c.template}>
                    <h3>{templateTitle(lang, c.template)}</h3>
                    <button type="button" class="secondary" onClick={() => void create({ ...c, id: c.template }, templateTitle(lang, c.template))} aria-label={`${t('use_this')}: ${templateTitle(lang, c.template)}`}>
                      {t('use_this')}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : (
        <p>{t('loading')}</p>
      )}
    </section>
  );
}

export function HistoryPage() {
  const admin = useAdmin();
  const { session, t, f, wordError } = admin;
  const [history, setHistory] = useState<ConfigHistoryT | null>(null);
  const load = () => calls.history(session).then(setHistory, (err) => admin.say(wordError(err)));
  useEffect(() => void load(), [session, admin.version]);
  return (
    <section class="page history" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1} class="page-title">
        {t('history')}
      </h1>
      {history ? (
        <div class="table-scroll">
          <table class="history">
            <thead>
              <tr>
                <th scope="col">{t('history_version')}</th>
                <th scope="col">{t('history_when')}</th>
                <th scope="col">{t('history_who')}</th>
                <th scope="col">{t('history_note')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('rollback')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...history.versions].sort((a, b) => b.version - a.version).map((v) => (
                <tr key={v.version} data-version={v.version}>
                  <td>
                    {v.version}
                    {v.version === history.current ? ` (${t('current')})` : ''}
                  </td>
                  <td>{f.date(v.updated_at)}</td>
                  <td>{v.actor ?? v.role}</td>
                  <td>{v.note ?? ''}</td>
                  <td>
                    {v.version !== history.current ? (
                      <button
                        type="button"
                        class="secondary"
                        onClick={async () => {
                          try {
                            const saved = await calls.rollback(session, v.version);
                            await admin.reload();
                            admin.say(t('rolled_back', { v: saved.version }));
                          } catch (err) {
                            admin.say(wordError(err));
                          }
                        }}
                      >
                        {t('rollback')} {v.version}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('loading')}</p>
      )}
    </section>
  );
}
