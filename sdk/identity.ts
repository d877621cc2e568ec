/** Who the shopper is: an anonymous id, the member id once identify() named one, the session and
 * the consent choice. One record, kept with the outbox (see store.ts) so that reading it never
 * blocks the page (localStorage and cookies are synchronous IPC in Chromium) and every tab
 * updates it atomically. */
import { isClientId, newId } from './ids';

/** A session ends after this long without an event (GA4's default too). */
export const SESSION_MS = 30 * 60 * 1000;

export interface Session {
  id: string;
  /** Time of the last event in the session. */
  last: number;
  /** Page views in the session so far. */
  views: number;
}

export interface Choice {
  analytics: boolean;
  marketing: boolean;
}

export interface Visitor {
  anon: string;
  user?: string;
  /** The shop server's proof of `user` (HMAC of it under the site's identity secret), when given. */
  hash?: string;
  session?: Session;
  /** The shopper's own consent choice; absent until they make one. */
  consent?: Choice;
  /** Events this browser recorded so far, in every tab: each event's `seq`. */
  seq?: number;
}

/** A copy of a stored visitor, or a new one when there is none (or it is unreadable). */
export function visitor(stored: Visitor | undefined): Visitor {
  return isClientId(stored?.anon) ? { ...stored } : { anon: newId() };
}

/** The session an event at `ts` belongs to: the current one unless 30 minutes passed without an event. */
export function nextSession(current: Session | undefined, ts: number, pageView: boolean): Session {
  const session = current && isClientId(current.id) && ts - current.last < SESSION_MS ? current : { id: newId(), last: ts, views: 0 };
  return { id: session.id, last: Math.max(session.last, ts), views: session.views + +pageView };
}
