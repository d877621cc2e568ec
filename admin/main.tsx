// /admin: the marketer's pages, each at its own URL (/admin/overview, /admin/journey,
// /admin/campaigns[/new|/:id], /admin/results[/:campaign], /admin/audiences) so links can be
// shared and back and forward work. Signs in with the site's admin token (this tab only), keeps
// the site's config and the 30-day report for every page, and words everything in Korean or English.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Link, Redirect, Route, Router, Switch, useLocation } from 'wouter-preact';
import type { ReportT, SiteConfigT } from '../edge/contract';
import { ApiFailure, calls, loadSession, saveSession, type Session, type StoredConfig } from './api';
import { formats, translator, type Key, type Lang, type T } from './i18n';
import { AudiencesPage } from './pages/audiences';
import { CampaignEditorPage } from './pages/campaign-editor';
import { CampaignsPage, HistoryPage, NewCampaignPage } from './pages/campaigns';
import { JourneyPage } from './pages/journey';
import { OverviewPage } from './pages/overview';
import { ResultsPage } from './pages/results';
import { AdminContext, useAdmin, wordError, wordIssue, type Admin } from './state';

const LANG_KEY = 'touchpoint-admin-lang';

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
          await calls.config(session);
          saveSession(session);
          onSession(session);
        } catch (err) {
          setError(err instanceof ApiFailure && err.code !== 'unauthorized' && err.code !== 'unknown_site' && err.status !== 403 ? wordError(t, err) : t('bad_token'));
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

const PAGES: { path: string; key: Key }[] = [
  { path: '/overview', key: 'page_overview' },
  { path: '/journey', key: 'page_journey' },
  { path: '/campaigns', key: 'page_campaigns' },
  { path: '/results', key: 'page_results' },
  { path: '/audiences', key: 'page_audiences' },
];

function Nav({ t }: { t: T }) {
  const [location] = useLocation();
  return (
    <nav class="pages" aria-label={t('nav')}>
      <ul>
        {PAGES.map((p) => {
          const current = location === p.path || location.startsWith(`${p.path}/`);
          return (
            <li key={p.path}>
              <Link href={p.path} class={current ? 'tab active' : 'tab'} aria-current={current ? 'page' : undefined}>
                {t(p.key)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** After a move to another page, focus goes to its heading (screen readers announce the page). */
function useFocusOnNavigation() {
  const [location] = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: false }), 0);
    return () => clearTimeout(timer);
  }, [location]);
}

function Pages() {
  useFocusOnNavigation();
  return (
    <Switch>
      <Route path="/overview" component={OverviewPage} />
      <Route path="/journey" component={JourneyPage} />
      <Route path="/campaigns" component={CampaignsPage} />
      <Route path="/campaigns/new" component={NewCampaignPage} />
      <Route path="/campaigns/history" component={HistoryPage} />
      <Route path="/campaigns/:id">{(params: { id: string }) => <CampaignEditorPage key={params.id} id={decodeURIComponent(params.id)} />}</Route>
      <Route path="/results">
        <ResultsPage />
      </Route>
      <Route path="/results/:campaign">{(params: { campaign: string }) => <ResultsPage campaign={decodeURIComponent(params.campaign)} />}</Route>
      <Route path="/audiences" component={AudiencesPage} />
      <Route path="/">
        <Redirect to="/overview" replace />
      </Route>
      <Route>
        <NotFound />
      </Route>
    </Switch>
  );
}

function NotFound() {
  const { t } = useAdmin();
  return (
    <h1 tabIndex={-1} class="page-title">
      {t('page_not_found')}
    </h1>
  );
}

function App() {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'ko'));
  const t = translator(lang);
  const [session, setSession] = useState<Session | null>(loadSession);
  const [stored, setStored] = useState<StoredConfig | null>(null);
  const [report, setReport] = useState<ReportT | null>(null);
  const [errors, setErrors] = useState(new Map<string, string>());
  const [status, setStatus] = useState('');

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('title');
    localStorage.setItem(LANG_KEY, lang);
  }, [lang]);

  const signOut = () => {
    saveSession(null);
    setSession(null);
    setStored(null);
  };
  const reload = async (s: Session) => {
    try {
      setStored(await calls.config(s));
      setErrors(new Map());
    } catch (err) {
      if (err instanceof ApiFailure && (err.status === 401 || err.status === 403)) signOut();
      else setStatus(wordError(t, err));
    }
  };
  useEffect(() => {
    if (!session) return;
    void reload(session);
    calls.report(session).then(setReport, () => setReport(null));
  }, [session]);

  const langSwitch = (
    <label class="lang">
      <span class="visually-hidden">{t('language')} / Language</span>
      <select value={lang} onChange={(e) => setLang(e.currentTarget.value === 'en' ? 'en' : 'ko')}>
        <option value="ko">한국어</option>
        <option value="en">English</option>
      </select>
    </label>
  );
  if (!session)
    return (
      <main id="main">
        {langSwitch}
        <SignIn t={t} onSession={setSession} />
      </main>
    );

  const admin: Admin | null = stored
    ? {
        session,
        lang,
        t,
        f: formats(lang, report?.currency ?? 'KRW'),
        config: stored.config,
        version: stored.version,
        report,
        errors,
        say: setStatus,
        wordError: (err) => wordError(t, err),
        reload: () => reload(session).then(() => void calls.report(session).then(setReport, () => setReport(null))),
        save: async (config: SiteConfigT) => {
          try {
            const saved = await calls.saveConfig(session, config, stored.version);
            setStored(saved);
            setErrors(new Map());
            setStatus(t('saved', { v: saved.version }));
            return saved;
          } catch (err) {
            if (err instanceof ApiFailure && err.issues.length) {
              setErrors(new Map(err.issues.map((i) => [i.path, lang === 'en' ? `${wordIssue(t, i)} (${i.message})` : wordIssue(t, i)])));
              setStatus(t('not_saved'));
            } else setStatus(wordError(t, err));
            return null;
          }
        },
      }
    : null;

  return (
    <>
      <a class="skip" href="#main">
        {t('skip')}
      </a>
      <header class="top">
        <strong class="brand">{t('title')}</strong>
        <span class="site-name">
          {t('site')}: {session.site}
        </span>
        <Nav t={t} />
        <div class="top-tools">
          {langSwitch}
          <button type="button" class="secondary" onClick={signOut}>
            {t('sign_out')}
          </button>
        </div>
      </header>
      <main id="main">
        <p class="status" role="status">
          {status}
        </p>
        {admin ? (
          <AdminContext.Provider value={admin}>
            <Pages />
          </AdminContext.Provider>
        ) : (
          <p>{t('loading')}</p>
        )}
      </main>
    </>
  );
}

render(
  <Router base="/admin">
    <App />
  </Router>,
  document.getElementById('app')!,
);
