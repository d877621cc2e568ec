// The admin API with the site's token (kept in sessionStorage for this tab only).
export interface Session {
  site: string;
  token: string;
}

const KEY = 'touchpoint-admin';

export function loadSession(): Session | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return value && typeof value.site === 'string' && typeof value.token === 'string' ? value : null;
  } catch {
    return null;
  }
}

export const saveSession = (session: Session | null) => (session ? sessionStorage.setItem(KEY, JSON.stringify(session)) : sessionStorage.removeItem(KEY));

export interface ApiIssue {
  path: string;
  message: string;
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

/** Calls /v1/admin/sites/:site/<path>; an error answer becomes an ApiFailure with its issues. */
export async function api<T>(session: Session, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`/v1/admin/sites/${encodeURIComponent(session.site)}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${session.token}`, ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
  });
  const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string; issues?: ApiIssue[] } } | null;
  if (!response.ok) throw new ApiFailure(response.status, body?.error?.code ?? 'http_error', body?.error?.message ?? `HTTP ${response.status}`, body?.error?.issues ?? []);
  return body as T;
}

/** Downloads a CSV export: fetched with the bearer token (a plain link could not send it). */
export async function download(session: Session, path: string, filename: string): Promise<void> {
  const response = await fetch(`/v1/admin/sites/${encodeURIComponent(session.site)}${path}`, { headers: { Authorization: `Bearer ${session.token}` } });
  if (!response.ok) throw new ApiFailure(response.status, 'http_error', `HTTP ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
