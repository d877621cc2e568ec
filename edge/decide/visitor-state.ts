import type { DecideRequestT, SiteConfigT, WidgetNameT } from '../contract';
import { DAY_MS } from '../lib/time';
import type { D1Reader } from '../lib/d1-reader';

/** Everything a decision needs about one shopper, read in one D1 batch (one round trip) by
 * primary keys: the identity link, the profile (with its cart), one widget_stats row per
 * widget, the session row, and — only when those widgets are on — the products the shopper is
 * interested in and the purchases awaiting a review. Nothing here grows with history except
 * the two candidate queries, which are index range scans with a LIMIT. */

export interface ProfileRow {
  visitor_id: string;
  first_seen: number;
  last_seen: number;
  sessions: number;
  last_session_id: string | null;
  page_views: number;
  orders: number;
  revenue: number;
  first_purchase_at: number | null;
  last_purchase_at: number | null;
  is_member: number;
  marketing_consent: number;
  marketing_consent_at: number | null;
  cart: string;
  cart_value: number;
  cart_updated_at: number | null;
  return_gap_ms: number;
  returned_at: number | null;
}

export interface WidgetStatsRow {
  site: string;
  visitor_id: string;
  widget: WidgetNameT;
  decisions: number;
  holdouts: number;
  impressions: number;
  clicks: number;
  dismissals: number;
  submits: number;
  conversions: number;
  exposures: number;
  last_decided_at: number | null;
  last_impression_at: number | null;
  last_dismissed_at: number | null;
  last_converted_at: number | null;
  last_exposed_at: number | null;
  last_overlay_at: number | null;
  session_id: string | null;
  session_exposures: number;
  day_started_at: number | null;
  day_exposures: number;
}

/** A widget's history reduced to what caps read, at the request's time and session. */
export interface WidgetHistory {
  decisions: number;
  impressions: number;
  dismissals: number;
  clicks: number;
  conversions: number;
  exposures: number;
  sessionExposures: number;
  dayExposures: number;
  lastDismissedAt: number | null;
  lastOverlayAt: number | null;
}

export interface CartLine {
  item_id: string;
  item_name?: string;
  price?: number;
  currency?: string;
  quantity: number;
  image_url?: string;
  url?: string;
  item_variant?: string;
}

export interface ProductCandidate {
  item_id: string;
  item_name: string | null;
  price: number | null;
  currency: string | null;
  image_url: string | null;
  url: string | null;
  views: number;
}

export interface ReviewCandidate {
  item_id: string;
  item_name: string | null;
  image_url: string | null;
  url: string | null;
  transaction_id: string;
  purchased_at: number;
}

export interface SessionRow {
  page_views: number;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
}

export interface VisitorState {
  /** The key decisions are recorded under: 'u:<user>' when known, else 'a:<anon>'. */
  visitorId: string;
  profile: ProfileRow | null;
  cart: CartLine[];
  widgets: Partial<Record<WidgetNameT, WidgetHistory>>;
  /** Raw rows, for the admin profile view. */
  widgetRows: WidgetStatsRow[];
  session: SessionRow | null;
  interested: ProductCandidate[];
  reviewable: ReviewCandidate[];
}

export interface VisitorRef {
  site: string;
  anon_id: string | null;
  user_id: string | null;
  session_id: string | null;
}

/** ?1 site, ?2 anon id, ?3 'u:<user>' from the request (or NULL). */
const VISITORS = `(?3, 'a:' || ?2, (SELECT 'u:' || user_id FROM identity_links WHERE site = ?1 AND anon_id = ?2))`;

const PROFILE_COLUMNS =
  'visitor_id, first_seen, last_seen, sessions, last_session_id, page_views, orders, revenue, first_purchase_at, last_purchase_at, is_member, marketing_consent, marketing_consent_at, cart, cart_value, cart_updated_at, return_gap_ms, returned_at';

const READ_LINK = 'SELECT user_id FROM identity_links WHERE site = ?1 AND anon_id = ?2';
const READ_PROFILES = `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE site = ?1 AND visitor_id IN ${VISITORS}`;
const READ_WIDGETS = `SELECT * FROM widget_stats WHERE site = ?1 AND visitor_id IN ${VISITORS}`;
const READ_SESSION = 'SELECT page_views, utm_source, utm_medium, utm_campaign FROM visitor_sessions WHERE site = ?1 AND session_id = ?2';

/** Products viewed at least ?4 times since ?5 and not bought; catalogue details win over the item as last seen. */
const READ_INTERESTED = `
SELECT v.item_id, v.views,
       coalesce(c.name, v.item ->> '$.item_name') AS item_name, coalesce(c.price, v.item ->> '$.price') AS price,
       coalesce(c.currency, v.item ->> '$.currency') AS currency, coalesce(c.image_url, v.item ->> '$.image_url') AS image_url,
       coalesce(c.url, v.item ->> '$.url') AS url
FROM product_views v INDEXED BY product_views_not_bought LEFT JOIN catalog c ON c.site = v.site AND c.item_id = v.item_id
WHERE v.site = ?1 AND v.visitor_id IN ${VISITORS} AND v.views >= ?4 AND v.purchased_at IS NULL AND v.last_viewed_at >= ?5
ORDER BY v.views DESC, v.last_viewed_at DESC LIMIT 5`;

/** Items of the latest 10 orders placed since ?4, delivered before ?5 or placed before ?6, not
 * refunded, that the shopper has not reviewed. */
const READ_REVIEWABLE = `
SELECT j.value ->> '$.item_id' AS item_id, coalesce(c.name, j.value ->> '$.item_name') AS item_name,
       coalesce(c.image_url, j.value ->> '$.image_url') AS image_url, coalesce(c.url, j.value ->> '$.url') AS url,
       o.transaction_id, o.ts AS purchased_at
FROM (SELECT site, transaction_id, ts, items FROM orders
      WHERE site = ?1 AND visitor_id IN ${VISITORS} AND ts >= ?4 AND refunded_at IS NULL
        AND ((delivered_at IS NOT NULL AND delivered_at <= ?5) OR ts <= ?6)
      ORDER BY ts DESC LIMIT 10) o,
     json_each(o.items) j LEFT JOIN catalog c ON c.site = o.site AND c.item_id = (j.value ->> '$.item_id')
WHERE j.value ->> '$.item_id' IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM reviewed_products r WHERE r.site = ?1 AND r.visitor_id IN ${VISITORS} AND r.item_id = (j.value ->> '$.item_id'))
ORDER BY o.ts DESC LIMIT 30`;

function parseCart(text: string | undefined): CartLine[] {
  if (!text) return [];
  try {
    const lines = JSON.parse(text);
    return Array.isArray(lines) ? (lines as CartLine[]).filter((l) => typeof l?.item_id === 'string' && l.quantity > 0) : [];
  } catch {
    return [];
  }
}

/** Sums a widget's rows (a member's row and, until the merge lands, the device's anonymous one). */
function historyOf(rows: readonly WidgetStatsRow[], sessionId: string | null, now: number): WidgetHistory {
  const h: WidgetHistory = { decisions: 0, impressions: 0, dismissals: 0, clicks: 0, conversions: 0, exposures: 0, sessionExposures: 0, dayExposures: 0, lastDismissedAt: null, lastOverlayAt: null };
  const later = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
  for (const r of rows) {
    h.decisions += r.decisions;
    h.impressions += r.impressions;
    h.dismissals += r.dismissals;
    h.clicks += r.clicks;
    h.conversions += r.conversions;
    h.exposures += r.exposures;
    if (sessionId !== null && r.session_id === sessionId) h.sessionExposures += r.session_exposures;
    if (r.day_started_at !== null && now - r.day_started_at < DAY_MS) h.dayExposures += r.day_exposures;
    h.lastDismissedAt = later(h.lastDismissedAt, r.last_dismissed_at);
    h.lastOverlayAt = later(h.lastOverlayAt, r.last_overlay_at);
  }
  return h;
}

export async function readVisitorState(db: D1Reader, ref: VisitorRef, config: SiteConfigT, now: number): Promise<VisitorState> {
  const anon = ref.anon_id ?? '';
  const member = ref.user_id ? `u:${ref.user_id}` : null;
  const visitorParams = [ref.site, anon, member] as const;
  const interested = config.widgets.interested_product;
  const review = config.widgets.review_prompt;
  const statements = [
    db.prepare(READ_LINK).bind(ref.site, anon),
    db.prepare(READ_PROFILES).bind(...visitorParams),
    db.prepare(READ_WIDGETS).bind(...visitorParams),
    db.prepare(READ_SESSION).bind(ref.site, ref.session_id ?? ''),
  ];
  if (interested.enabled) {
    statements.push(db.prepare(READ_INTERESTED).bind(...visitorParams, interested.settings.min_views, now - interested.settings.lookback_days * DAY_MS));
  }
  if (review.enabled) {
    const s = review.settings;
    statements.push(
      db.prepare(READ_REVIEWABLE).bind(...visitorParams, now - s.max_order_age_days * DAY_MS, now - s.days_after_delivery * DAY_MS, now - s.days_after_purchase * DAY_MS),
    );
  }
  const [link, profiles, widgetRows, session, ...candidates] = await db.batch(statements);

  const linkedUser = (link?.results[0] as { user_id: string } | undefined)?.user_id;
  const visitorId = member ?? (linkedUser ? `u:${linkedUser}` : `a:${anon}`);
  const profileRows = (profiles?.results ?? []) as ProfileRow[];
  // The member's profile when there is one; the device's own until its merge is applied.
  const profile = profileRows.find((p) => p.visitor_id.startsWith('u:')) ?? profileRows[0] ?? null;

  const byWidget = new Map<WidgetNameT, WidgetStatsRow[]>();
  for (const row of (widgetRows?.results ?? []) as WidgetStatsRow[]) byWidget.set(row.widget, [...(byWidget.get(row.widget) ?? []), row]);
  const widgets: Partial<Record<WidgetNameT, WidgetHistory>> = {};
  for (const [widget, rows] of byWidget) widgets[widget] = historyOf(rows, ref.session_id, now);

  let next = 0;
  const interestedRows = interested.enabled ? ((candidates[next++]?.results ?? []) as ProductCandidate[]) : [];
  const reviewRows = review.enabled ? ((candidates[next++]?.results ?? []) as ReviewCandidate[]) : [];
  const seen = new Set<string>();
  const reviewable = reviewRows.filter((r) => !seen.has(r.item_id) && seen.add(r.item_id));

  return {
    visitorId,
    profile,
    cart: parseCart(profile?.cart),
    widgets,
    widgetRows: (widgetRows?.results ?? []) as WidgetStatsRow[],
    session: (session?.results[0] as SessionRow | undefined) ?? null,
    interested: interestedRows,
    reviewable,
  };
}

/** The product the shopper keeps coming back to: not in the cart, not the one on screen. */
export function interestedProduct(state: VisitorState, request: DecideRequestT): ProductCandidate | null {
  const inCart = new Set(state.cart.map((l) => l.item_id));
  return state.interested.find((p) => !inCart.has(p.item_id) && p.item_id !== request.page.item_id) ?? null;
}
