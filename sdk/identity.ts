/** Who the shopper is: an anonymous id kept first-party, the member id once identify() named
 * one, and the session. Kept in the Kv so every tab of the shop shares them. */
import { isClientId, newId } from './ids';
import type { Kv } from './kv';

/** A session ends after this long without an event (GA4's default too). */
export const SESSION_MS = 30 * 60 * 1000;

export const KEYS = { anon: 'tp_aid', session: 'tp_sid', user: 'tp_uid', consent: 'tp_consent', cart: 'tp_cart' } as const;

export interface Session {
  id: string;
  /** Time of the last event in the session. */
  last: number;
  /** Page views in the session so far. */
  views: number;
}

export function parseSession(text: string | null): Session | null {
  const [id, last, views] = (text || '').split('.');
  return isClientId(id) ? { id, last: +last! || 0, views: +views! || 0 } : null;
}

/** The session an event at `ts` belongs to: the stored one unless 30 minutes passed without an event. */
export function nextSession(stored: Session | null, ts: number, pageView: boolean): Session {
  const current = stored && ts - stored.last < SESSION_MS ? stored : { id: newId(), last: ts, views: 0 };
  return { id: current.id, last: Math.max(current.last, ts), views: current.views + +pageView };
}

export function anonId(kv: Kv): string {
  let id = kv.get(KEYS.anon);
  if (!isClientId(id)) kv.set(KEYS.anon, (id = newId()));
  return id;
}

export const userId = (kv: Kv): string | null => kv.get(KEYS.user);

/** Moves the session clock to `ts` and returns the session an event at `ts` belongs to. */
export function touchSession(kv: Kv, ts: number, pageView = false): Session {
  const session = nextSession(parseSession(kv.get(KEYS.session)), ts, pageView);
  kv.set(KEYS.session, `${session.id}.${session.last}.${session.views}`);
  return session;
}

/** Logout: a new anonymous visitor and session, no member, no cart. */
export function resetIdentity(kv: Kv): void {
  kv.set(KEYS.anon, newId());
  for (const key of [KEYS.user, KEYS.session, KEYS.cart]) kv.set(key, null);
}
