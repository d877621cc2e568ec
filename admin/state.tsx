// What every page of the admin shares: the session, the language, the site's config (with its
// version, saved through one function), the 30-day report, and the status line. Errors are worded
// from their codes, in the marketer's language.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ReportT, SiteConfigT } from '../edge/contract';
import { ApiFailure, type ApiIssue, type Session, type StoredConfig } from './api';
import type { Formats, Key, Lang, T } from './i18n';

export interface Admin {
  session: Session;
  lang: Lang;
  t: T;
  f: Formats;
  config: SiteConfigT;
  version: number;
  /** The last 30 days; null until loaded or when there is none. */
  report: ReportT | null;
  /** Saves the whole config; on a refusal, the issues are kept by path and null is returned. */
  save(config: SiteConfigT): Promise<StoredConfig | null>;
  /** Server errors of the last refused save, by path, worded. */
  errors: Map<string, string>;
  reload(): Promise<void>;
  say(message: string): void;
  /** An error's words: its code in the marketer's language. */
  wordError(err: unknown): string;
}

export const AdminContext = createContext<Admin>(null as never);
export const useAdmin = () => useContext(AdminContext);

const ERROR_KEYS: Record<string, Key> = {
  unauthorized: 'err_unauthorized',
  unknown_site: 'err_unknown_site',
  version_conflict: 'err_version_conflict',
  invalid_config: 'err_invalid_config',
  invalid_campaign: 'err_invalid_campaign',
  invalid_settings: 'err_invalid_settings',
  rate_limited: 'err_rate_limited',
  not_found: 'err_not_found',
  unknown_version: 'err_unknown_version',
  internal: 'err_internal',
  unknown_visitor: 'err_unknown_visitor',
  invalid_query: 'err_invalid_query',
  network: 'err_network',
};

export function wordError(t: T, err: unknown): string {
  if (err instanceof ApiFailure) {
    const key = ERROR_KEYS[err.code];
    return key ? t(key) : t('err_other', { code: err.code });
  }
  return t('err_other', { code: 'client' });
}

/** A field's error in words: the issue's code and bound, or the generic sentence. */
export function wordIssue(t: T, issue: ApiIssue): string {
  if (issue.code === 'too_small' && issue.limit !== undefined) return t('issue_too_small', { n: issue.limit });
  if (issue.code === 'too_big' && issue.limit !== undefined) return t('issue_too_big', { n: issue.limit });
  if (issue.code === 'invalid_type') return t('issue_invalid_type');
  if (issue.code === 'invalid_format') return t('issue_invalid_format');
  if (issue.code === 'unknown_key') return t('issue_unknown_key');
  return t('issue_other');
}
