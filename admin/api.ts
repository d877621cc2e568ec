// The admin API with the site's token (kept in sessionStorage for this tab only). Answers are
// typed by the contract (edge/contract); errors keep the server's code, which the admin words.
import type { CampaignT, ConfigHistoryT, ConfigVersionInfoT, DeadLetterDiscardT, DeadLetterReplayT, DeadLettersT, DeliveryLogT, ProfileViewT, ReportT, SiteConfigT, SiteStaffT, TemplateGalleryT } from '../edge/contract';

export interface Session {
  site: string;
  token: string;
}

const KEY = 'touchpoint-admin';

export function loadSession(): Session | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Partial<Session> | null;
    return value && typeof value.site === 'string' && typeof value.token === 'string' ? { site: value.site, token: value.token } : null;
  } catch {
    return null;
  }
}

export const saveSession = (session: Session | null) => (session ? sessionStorage.setItem(KEY, JSON.stringify(session)) : sessionStorage.removeItem(KEY));

/** One error of a refused config or campaign (edge/lib/zod-issues.ts). */
export interface ApiIssue {
  path: string;
  message: string;
  code?: string;
  limit?: number;
}

interface ErrorAnswer {
  error?: { code?: string; message?: string; issues?: ApiIssue[] };
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
  }
}

const base = (session: Session) => `/v1/admin/sites/${encodeURIComponent(session.site)}`;

/** Calls /v1/admin/sites/:site/<path>; an error answer becomes an ApiFailure with its code and issues. */
export async function api<T>(session: Session, path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${base(session)}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${session.token}`, ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
    });
  } catch {
    throw new ApiFailure(0, 'network', 'network');
  }
  const body = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const error = (body as ErrorAnswer | null)?.error;
    throw new ApiFailure(response.status, error?.code ?? `http_${response.status}`, error?.message ?? `HTTP ${response.status}`, error?.issues ?? []);
  }
  return body as T;
}

export interface StoredConfig extends ConfigVersionInfoT {
  config: SiteConfigT;
}

export interface HandoffMembersT {
  handoff: string;
  days: number;
  counts: Record<string, number>;
  members: { user_id: string; entered_at: string; group: string; marketing_consent: boolean; delivery: string | null }[];
  truncated: boolean;
}

export interface PreviewTokenT {
  token: string;
  param: string;
  expires_at: number;
}

/** The admin's calls, one per thing it reads or changes. */
export const calls = {
  config: (s: Session) => api<StoredConfig>(s, '/config'),
  saveConfig: (s: Session, config: SiteConfigT, version: number) =>
    api<StoredConfig>(s, '/config', { method: 'PUT', body: JSON.stringify(config), headers: { 'If-Match': String(version), 'X-Touchpoint-Actor': 'admin' } }),
  history: (s: Session) => api<ConfigHistoryT>(s, '/config/history'),
  rollback: (s: Session, version: number) => api<StoredConfig>(s, '/config/rollback', { method: 'POST', body: JSON.stringify({ version }), headers: { 'X-Touchpoint-Actor': 'admin' } }),
  report: (s: Session, query: { from?: string; to?: string; campaign?: string } = {}) => {
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string'));
    return api<ReportT>(s, `/report${params.size ? `?${params}` : ''}`);
  },
  templates: (s: Session) => api<TemplateGalleryT>(s, '/templates'),
  preview: (s: Session, campaign: CampaignT, variant: string) => api<PreviewTokenT>(s, '/preview', { method: 'POST', body: JSON.stringify({ campaign, variant }) }),
  deliveries: (s: Session, state?: 'failed') => api<DeliveryLogT>(s, `/deliveries?limit=100${state ? `&state=${state}` : ''}`),
  replay: (s: Session, ids?: string[]) => api<{ replayed: number }>(s, '/deliveries/replay', { method: 'POST', body: JSON.stringify(ids ? { ids } : {}) }),
  /** The site's settings as GET /v1/admin/sites/:site shows them; the admin reads only the staff list. */
  staff: (s: Session) => api<SiteStaffT>(s, ''),
  saveStaff: (s: Session, ids: string[]) => api<SiteStaffT>(s, '/staff', { method: 'PUT', body: JSON.stringify({ staff_user_ids: ids } satisfies SiteStaffT) }),
  deadLetters: (s: Session) => api<DeadLettersT>(s, '/dead-letters'),
  replayDeadLetters: (s: Session) => api<DeadLetterReplayT>(s, '/dead-letters/replay', { method: 'POST' }),
  discardDeadLetter: (s: Session, id: number) => api<DeadLetterDiscardT>(s, `/dead-letters/${id}`, { method: 'DELETE' }),
  /** One shopper as decisions see them, on `url` (the shop's home page when not given). */
  profile: (s: Session, who: { user_id: string } | { anon_id: string }, url?: string) => api<ProfileViewT>(s, `/profile?${new URLSearchParams({ ...who, ...(url ? { url } : {}) })}`),
  handoffMembers: (s: Session, handoff: string) => api<HandoffMembersT>(s, `/handoffs/${encodeURIComponent(handoff)}.json`),
};

/** Downloads a CSV export: fetched with the bearer token (a plain link could not send it). CSV is
 * only ever a download: what the admin shows comes from the JSON answers. */
export async function download(session: Session, path: string, filename: string): Promise<void> {
  const response = await fetch(`${base(session)}${path}`, { headers: { Authorization: `Bearer ${session.token}` } });
  if (!response.ok) throw new ApiFailure(response.status, `http_${response.status}`, `HTTP ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
