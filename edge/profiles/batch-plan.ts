/** What one ingest batch changes that SQL cannot work out well by itself: identity links made
 * in the batch, per-session landing pages and campaigns (URL parsing), and cart operations in
 * event order (a fold). Computed from the batch's own events, which never change, so it is safe
 * to compute before the transaction; every change it describes is applied relative to what the
 * database holds when the transaction runs. */

import { visitorIdOf, type IdentityKey } from '../identity/visitor';
import { inBrowserOrder } from './event-order';

/** Session id of events sent by a shop's server (they never start a browser session). */
export const SERVER_SESSION_ID = 'server-side';

export interface BatchEventRow {
  name: string;
  ts: number;
  anon_id: string;
  user_id: string | null;
  session_id: string;
  /** The browser's event count (see event-order.ts); null from clients that send none. */
  seq?: number | null;
  url: string;
  /** JSON props, read only for cart events. */
  props: string | null;
}

/** Who did something: the member when known in this batch, otherwise the anonymous id, which
 * the database resolves through identity_links at apply time. */
export type { IdentityKey };

export interface IdentityLink {
  anon_id: string;
  user_id: string;
  ts: number;
}

export interface SessionSummary {
  session_id: string;
  anon_id: string;
  started_at: number;
  last_seen: number;
  page_views: number;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
}

/** A run of add/remove operations on one cart line, folded into `q' = max(floor, q + delta)`. */
export interface CartLineChange extends IdentityKey {
  item_id: string;
  floor: number;
  delta: number;
  /** The line as last added (name, price, image...), or null when only removed. */
  item: Record<string, unknown> | null;
  ts: number;
}

export interface BatchPlan {
  names: Set<string>;
  links: IdentityLink[];
  sessions: SessionSummary[];
  /** Purchases empty the cart: lines last changed before `ts` go. */
  cartClears: (IdentityKey & { ts: number })[];
  cartChanges: CartLineChange[];
  /** Visitors whose profile cart must be rebuilt from cart_items. */
  cartTouched: (IdentityKey & { ts: number | null })[];
}

/** A removal without quantity removes the whole line. */
const WHOLE_LINE = 1_000_000_000;

const CART_LINE_FIELDS = ['item_name', 'price', 'image_url', 'url', 'item_variant', 'item_brand', 'item_category'] as const;

const NO_UTM = { utm_source: null, utm_medium: null, utm_campaign: null } as const;

/** A query names a utm_ parameter only with `utm_` in it or spelled with percent escapes (or broken
 * by tabs and newlines, which URL parsing drops): most page URLs are not parsed at all. */
const MAY_NAME_UTM = /utm_|%|[\t\n\r]/;

function utmOf(url: string): { utm_source: string | null; utm_medium: string | null; utm_campaign: string | null } {
  if (!url.includes('?') || !MAY_NAME_UTM.test(url)) return NO_UTM;
  try {
    const params = new URL(url).searchParams;
    return { utm_source: params.get('utm_source'), utm_medium: params.get('utm_medium'), utm_campaign: params.get('utm_campaign') };
  } catch {
    return NO_UTM;
  }
}

function parseProps(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** `events` in any order (they are put in browser order first). `newLinks` holds `anon_id + "\u0000" + user_id` of the pairs
 * identity_links did not have yet: only those need linking and merging. */
export function planBatch(batchEvents: readonly BatchEventRow[], newLinks: ReadonlySet<string>): BatchPlan {
  const events = inBrowserOrder(batchEvents);
  const names = new Set<string>();
  const linkByAnon = new Map<string, IdentityLink>();
  for (const e of events) {
    names.add(e.name);
    if (e.user_id) linkByAnon.set(e.anon_id, { anon_id: e.anon_id, user_id: e.user_id, ts: e.ts });
  }
  const keyOf = (e: BatchEventRow): IdentityKey => ({ anon_id: e.anon_id, user_id: e.user_id ?? linkByAnon.get(e.anon_id)?.user_id ?? null });

  const sessions = new Map<string, SessionSummary>();
  for (const e of events) {
    if (e.session_id === SERVER_SESSION_ID) continue;
    let s = sessions.get(e.session_id);
    if (!s) {
      s = { session_id: e.session_id, anon_id: e.anon_id, started_at: e.ts, last_seen: e.ts, page_views: 0, utm_source: null, utm_medium: null, utm_campaign: null };
      sessions.set(e.session_id, s);
    }
    s.last_seen = e.ts;
    if (e.name === 'page_view') s.page_views++;
    const utm = utmOf(e.url);
    if (utm.utm_source || utm.utm_medium || utm.utm_campaign) Object.assign(s, utm);
  }

  const cartClears = new Map<string, IdentityKey & { ts: number }>();
  const lines = new Map<string, CartLineChange>();
  for (const e of events) {
    if (e.name === 'purchase') {
      const key = keyOf(e);
      cartClears.set(visitorIdOf(key), { ...key, ts: e.ts });
      for (const [lineKey, line] of lines) if (visitorIdOf(line) === visitorIdOf(key)) lines.delete(lineKey);
      continue;
    }
    if (e.name !== 'add_to_cart' && e.name !== 'remove_from_cart') continue;
    const props = parseProps(e.props);
    const items = Array.isArray(props.items) ? (props.items as Record<string, unknown>[]) : [];
    const key = keyOf(e);
    for (const item of items) {
      if (typeof item?.item_id !== 'string') continue;
      const lineKey = `${visitorIdOf(key)}\u0000${item.item_id}`;
      const line = lines.get(lineKey) ?? { ...key, item_id: item.item_id, floor: 0, delta: 0, item: null, ts: e.ts };
      const quantity = typeof item.quantity === 'number' ? item.quantity : e.name === 'add_to_cart' ? 1 : WHOLE_LINE;
      const change = e.name === 'add_to_cart' ? quantity : -quantity;
      line.floor = Math.max(line.floor + change, 0);
      line.delta += change;
      line.ts = e.ts;
      if (e.name === 'add_to_cart') {
        const kept: Record<string, unknown> = { item_id: item.item_id };
        for (const field of CART_LINE_FIELDS) if (item[field] !== undefined) kept[field] = item[field];
        if (typeof props.currency === 'string') kept.currency = props.currency;
        line.item = kept;
      }
      lines.set(lineKey, line);
    }
  }
  const cartChanges = [...lines.values()];
  const touched = new Map<string, IdentityKey & { ts: number | null }>();
  for (const c of [...cartClears.values(), ...cartChanges]) {
    const prior = touched.get(visitorIdOf(c));
    touched.set(visitorIdOf(c), { anon_id: c.anon_id, user_id: c.user_id, ts: Math.max(prior?.ts ?? 0, c.ts) });
  }
  const links = [...linkByAnon.values()].filter((l) => newLinks.has(`${l.anon_id}\u0000${l.user_id}`));
  // Merged anonymous carts join the member's: rebuild the member's profile cart too.
  for (const link of links) {
    const key = { anon_id: link.anon_id, user_id: link.user_id };
    if (!touched.has(visitorIdOf(key))) touched.set(visitorIdOf(key), { ...key, ts: null });
  }

  return {
    names,
    links,
    sessions: [...sessions.values()],
    cartClears: [...cartClears.values()],
    cartChanges,
    cartTouched: [...touched.values()],
  };
}
