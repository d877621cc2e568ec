// /admin: the marketer's page. Signs in with the site's admin token (this tab only), edits the
// site's campaigns with a live preview, saves with errors beside their fields, shows the
// versions with rollback, the results per campaign, and the leads and reviews with CSV exports.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ReportT } from '../edge/contract/report';
import { api, ApiFailure, download, loadSession, saveSession, type Session } from './api';
import { EditingContext, setAt, type Path } from './fields';
import { translator, WIDGET_TITLES, type Lang, type T } from './i18n';
import { Results } from './results';
import { WidgetEditor } from './widget-editor';

type Json = any;
interface VersionInfo {
  version: number;
  updated_at: number | null;
  role: string;
  actor: string | null;
  note: string | null;
}
type Tab = 'widgets' | 'results' | 'data' | 'history';

const when = (ms: number | null) => (ms ? new Date(ms).toLocaleString() : '–');

function SignIn({ t, onSession }: { t: T; onSession(s: Session): void }) {
  const [site, setSite] = useState('demo');
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  return (
    <form
      class="sign-in"
      onSubmit={async (e) => {
        e.preventDefault();
        const session = { site: site.trim(), token: token.trim() };
        try {
          await api(session, '/config');
          saveSession(session);
          onSession(session);
        } catch {
          setError(t('bad_token'));
        }
      }}
    >
      <h1>{t('title')}</h1>
      <label for="site">{t('site')}</label>
      <input id="site" value={site} onInput={(e) => setSite(e.currentTarget.value)} autocomplete="off" />
      <label for="token">{t('token')}</label>
      <input id="token" type="password" value={token} onInput={(e) => setToken(e.currentTarget.value)} autocomplete="off" />
      {error ? <p class="field-error" role="alert">{error}</p> : null}
      <button type="submit">{t('sign_in')}</button>
    </form>
  );
}

/** A small CSV reader for the exports (quoted fields, doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell), rows.push(row), (row = []), (cell = '');
    } else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

function CsvTable({ session, file, title, t }: { session: Session; file: string; title: string; t: T }) {
  const [rows, setRows] = useState<string[][] | null>(null);
  useEffect(() => {
    fetch(`/v1/admin/sites/${encodeURIComponent(session.site)}/${file}`, { headers: { Authorization: `Bearer ${session.token}` } })
      .then((r) => (r.ok ? r.text() : ''))
      .then((text) => setRows(parseCsv(text)));
  }, [session, file]);
  const [header, ...body] = rows ?? [];
  return (
    <section class="csv" data-export={file}>
      <h2>{title}</h2>
      <button type="button" onClick={() => download(session, `/${file}`, `${session.site}-${file}`)}>
        {t('export_csv')}
      </button>
      {header && body.length ? (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>{header.map((h) => <th key={h} scope="col">{h}</th>)}</tr>
            </thead>
            <tbody>
              {body.slice(-100).reverse().map((r, i) => (
                <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="empty-state">{t('empty')}</p>
      )}
    </section>
  );
}

function History({ session, t, onRolledBack }: { session: Session; t: T; onRolledBack(version: number): void }) {
  const [history, setHistory] = useState<{ current: number; versions: VersionInfo[] } | null>(null);
  const load = () => api<{ current: number; versions: VersionInfo[] }>(session, '/config/history').then(setHistory);
  useEffect(() => void load(), [session]);
  if (!history) return null;
  return (
    <table class="history">
      <thead>
        <tr>
          <th scope="col">{t('history_version')}</th>
          <th scope="col">{t('history_when')}</th>
          <th scope="col">{t('history_who')}</th>
          <th scope="col">{t('history_note')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {[...history.versions].sort((a, b) => b.version - a.version).map((v) => (
          <tr key={v.version} data-version={v.version}>
            <td>
              {v.version}
              {v.version === history.current ? ` (${t('current')})` : ''}
            </td>
            <td>{when(v.updated_at)}</td>
            <td>{v.actor ?? v.role}</td>
            <td>{v.note ?? ''}</td>
            <td>
              {v.version !== history.current ? (
                <button
                  type="button"
                  class="secondary"
                  onClick={async () => {
                    const saved = await api<{ version: number }>(session, '/config/rollback', { method: 'POST', body: JSON.stringify({ version: v.version }) });
                    onRolledBack(saved.version);
                    await load();
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
  );
}

function App() {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('touchpoint-admin-lang') === 'en' ? 'en' : 'ko'));
  const t = translator(lang);
  const [session, setSession] = useState<Session | null>(loadSession);
  const [tab, setTab] = useState<Tab>('widgets');
  const [config, setConfig] = useState<Json>(null);
  const [version, setVersion] = useState(0);
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState(new Map<string, string>());
  const [status, setStatus] = useState('');
  /** The campaign being edited, by its place in `config.campaigns`. */
  const [selected, setSelected] = useState(0);
  const [report, setReport] = useState<ReportT | null>(null);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('title');
    localStorage.setItem('touchpoint-admin-lang', lang);
  }, [lang]);

  const reload = async (s: Session) => {
    const current = await api<{ version: number; config: Json }>(s, '/config');
    setConfig(current.config);
    setVersion(current.version);
    setDirty(false);
    setErrors(new Map());
  };
  useEffect(() => {
    if (!session) return;
    reload(session).catch((err) => {
      if (err instanceof ApiFailure && (err.status === 401 || err.status === 403)) signOut();
    });
    // The report route may not exist yet (404): the results tab then says there is no data.
    api<ReportT>(session, '/report').then(setReport, () => setReport(null));
  }, [session]);

  const signOut = () => {
    saveSession(null);
    setSession(null);
    setConfig(null);
  };

  const langSwitch = (
    <select class="lang" aria-label="Language / 언어" value={lang} onChange={(e) => setLang(e.currentTarget.value as Lang)}>
      <option value="ko">한국어</option>
      <option value="en">English</option>
    </select>
  );
  if (!session)
    return (
      <main>
        {langSwitch}
        <SignIn t={t} onSession={setSession} />
      </main>
    );

  const save = async () => {
    try {
      const saved = await api<{ version: number; config: Json }>(session, '/config', { method: 'PUT', body: JSON.stringify(config), headers: { 'If-Match': String(version), 'X-Touchpoint-Actor': 'admin' } });
      setConfig(saved.config);
      setVersion(saved.version);
      setDirty(false);
      setErrors(new Map());
      setStatus(t('saved', { v: saved.version }));
    } catch (err) {
      if (err instanceof ApiFailure && err.issues.length) {
        setErrors(new Map(err.issues.map((i) => [i.path, i.message])));
        setStatus(t('not_saved'));
      } else setStatus(err instanceof Error ? err.message : String(err));
    }
  };
  const titles = WIDGET_TITLES[lang];

  return (
    <>
      <header class="top">
        <strong>{t('title')}</strong>
        <span class="site-name">
          {t('site')}: {session.site}
        </span>
        <nav aria-label="sections">
          {(['widgets', 'results', 'data', 'history'] as Tab[]).map((name) => (
            <button key={name} type="button" class={tab === name ? 'tab active' : 'tab'} aria-current={tab === name ? 'page' : undefined} onClick={() => setTab(name)}>
              {t(`tab_${name}`)}
            </button>
          ))}
        </nav>
        {langSwitch}
        <button type="button" class="secondary" onClick={signOut}>
          {t('sign_out')}
        </button>
      </header>
      <main>
        <p class="status" role="status">
          {status || (dirty ? t('unsaved') : '')}
        </p>
        {tab === 'widgets' && config ? (
          <EditingContext.Provider
            value={{
              config,
              errors,
              t,
              update: (path: Path, value: Json) => {
                setConfig((c: Json) => setAt(c, path, value));
                setDirty(true);
                setStatus('');
              },
            }}
          >
            <div class="widgets-layout">
              <nav class="widget-list" aria-label={t('tab_widgets')}>
                {(config.campaigns as Json[]).map((c, i) => (
                  <button key={`${i}-${c.id}`} type="button" class={selected === i ? 'active' : ''} aria-current={selected === i ? 'true' : undefined} onClick={() => setSelected(i)} data-campaign={c.id}>
                    <span class={c.enabled ? 'dot on' : 'dot'} aria-hidden="true" />
                    {c.name || c.id}
                    {[...errors.keys()].some((k) => k.startsWith(`campaigns[${i}]`)) ? ' ⚠' : ''}
                  </button>
                ))}
                <label class="add-campaign">
                  {t('add_campaign')}{' '}
                  <select
                    value=""
                    onChange={(e) => {
                      const template = e.currentTarget.value;
                      const base = (config.campaigns as Json[]).find((c) => c.template === template);
                      const id = `${template}-${Date.now().toString(36)}`;
                      const next = [...config.campaigns, { ...(base ? structuredClone(base) : { template }), id, name: `${titles[template] ?? template} ${config.campaigns.length + 1}`, enabled: false }];
                      setConfig({ ...config, campaigns: next });
                      setSelected(next.length - 1);
                      setDirty(true);
                    }}
                  >
                    <option value="">{t('template')}…</option>
                    {Object.keys(titles).map((template) => (
                      <option key={template} value={template}>{titles[template]}</option>
                    ))}
                  </select>
                </label>
                <button type="button" class="save" onClick={save} disabled={!dirty}>
                  {t('save')}
                </button>
              </nav>
              {config.campaigns[selected] ? (
                <WidgetEditor
                  key={`${selected}-${config.campaigns[selected].id}`}
                  site={session.site}
                  index={selected}
                  title={`${titles[config.campaigns[selected].template] ?? config.campaigns[selected].template} · ${config.campaigns[selected].name}`}
                />
              ) : null}
            </div>
          </EditingContext.Provider>
        ) : null}
        {tab === 'results' ? <Results report={report} t={t} lang={lang} /> : null}
        {tab === 'data' ? (
          <>
            <CsvTable session={session} file="leads.csv" title={t('leads')} t={t} />
            <CsvTable session={session} file="reviews.csv" title={t('reviews')} t={t} />
          </>
        ) : null}
        {tab === 'history' ? (
          <History
            session={session}
            t={t}
            onRolledBack={(v) => {
              setStatus(t('rolled_back', { v }));
              void reload(session);
            }}
          />
        ) : null}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
