import { REQUEST_VISITOR_IDS } from '../identity/visitor';
import type { CampaignOf, DecideRequestT } from '../contract';
import { DEFAULT_TIMEZONE, localClock, localDayStart } from '../lib/site-time';
import { DAY_MS } from '../lib/time';
import type { D1Reader } from '../lib/d1-reader';
import { READ_CONTROL, type ControlRow } from './control-group';
import type { CompiledConfig, FactNeeds } from './compile-config';
import type { PurchasedProduct } from './repurchase';
import { ORDER_TIMES_READ } from './churn';
import { jsonRow, jsonRows } from '../lib/sql-json';

/** Everything a decision needs about one shopper, read in one D1 batch (one round trip) by
 * primary keys: the identity link, the profile (with its cart and what the shop's server said),
 * one widget_stats row per campaign, the session row, and — only when enabled campaigns need
 * them — the products the shopper is interested in, the purchases awaiting a review, order
 * times (churn risk), coupons, products bought with their repurchase cycles and survey answers.
 * Each of those is an index range scan with a LIMIT, so nothing grows with history. */

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
  signed_up_at: number | null;
  points_balance: number | null;
  /** JSON [{amount, expires_at}]. */
  points_expiring: string | null;
  points_updated_at: number | null;
  tier: string | null;
  next_tier: string | null;
  amount_to_next_tier: number | null;
  tier_drops_at: number | null;
  tier_updated_at: number | null;
  /** When the server last named a different tier, and whether it was the one named as next (1). */
  tier_changed_at: number | null;
  tier_rose: number | null;
  /** The shop's stamp count (`stamps_updated`) and when its server sent it. */
  stamps: number | null;
  stamps_updated_at: number | null;
}

export interface WidgetStatsRow {
  site: string;
  visitor_id: string;
  campaign: string;
  template: string | null;
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

/** A campaign's history reduced to what caps read, at the request's time and session. */
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
  last_viewed_at: number;
}

export interface ReviewCandidate {
  item_id: string;
  item_name: string | null;
  image_url: string | null;
  url: string | null;
  transaction_id: string;
  purchased_at: number;
  delivered_at: number | null;
}

export interface CouponRow {
  code: string;
  benefit: string;
  expires_at: number | null;
  issued_at: number;
}

export interface SurveyAnswerRow {
  survey: string;
  question: string;
  /** JSON array of strings. */
  answers: string;
  answered_at: number;
}

export interface SessionRow {
  page_views: number;
  /** Its latest event. */
  last_seen: number;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
}

export interface VisitorState {
  /** The key decisions are recorded under: 'u:<user>' when known, else 'a:<anon>'. */
  visitorId: string;
  profile: ProfileRow | null;
  cart: CartLine[];
  /** History per campaign id. */
  campaigns: Partial<Record<string, WidgetHistory>>;
  /** Raw rows, for the admin profile view. */
  widgetRows: WidgetStatsRow[];
  session: SessionRow | null;
  interested: ProductCandidate[];
  reviewable: ReviewCandidate[];
  /** Order times, newest first (when a campaign or the site's stage model needs churn risk). */
  orderTimes: number[] | null;
  coupons: CouponRow[];
  purchased: PurchasedProduct[];
  surveyAnswers: SurveyAnswerRow[];
  /** The shopper's control-group rows (edge/decide/control-group.ts). */
  control: ControlRow[];
}

export interface VisitorRef {
  site: string;
  anon_id: string | null;
  user_id: string | null;
  session_id: string | null;
  /** The site's time zone: "per day" caps count from its local midnight (default Asia/Seoul). */
  timezone?: string;
}

/** ?1 site, ?2 anon id, ?3 'u:<user>' from the request (or NULL). */
const VISITORS = REQUEST_VISITOR_IDS;

const PROFILE_COLUMNS = [
  'visitor_id', 'first_seen', 'last_seen', 'sessions', 'last_session_id', 'page_views', 'orders', 'revenue', 'first_purchase_at', 'last_purchase_at', 'is_member',
  'marketing_consent', 'marketing_consent_at', 'cart', 'cart_value', 'cart_updated_at', 'return_gap_ms', 'returned_at', 'signed_up_at', 'points_balance',
  'points_expiring', 'points_updated_at', 'tier', 'next_tier', 'amount_to_next_tier', 'tier_drops_at', 'tier_updated_at', 'tier_changed_at', 'tier_rose', 'stamps',
  'stamps_updated_at',
] as const satisfies readonly (keyof ProfileRow)[];
const WIDGET_COLUMNS = [
  'site', 'visitor_id', 'campaign', 'template', 'decisions', 'holdouts', 'impressions', 'clicks', 'dismissals', 'submits', 'conversions', 'exposures',
  'last_decided_at', 'last_impression_at', 'last_dismissed_at', 'last_converted_at', 'last_exposed_at', 'last_overlay_at', 'session_id', 'session_exposures',
  'day_started_at', 'day_exposures',
] as const satisfies readonly (keyof WidgetStatsRow)[];

const READ_PROFILES = `SELECT ${PROFILE_COLUMNS.join(', ')} FROM profiles WHERE site = ?1 AND visitor_id IN ${VISITORS}`;
const READ_WIDGETS = `SELECT ${WIDGET_COLUMNS.join(', ')} FROM widget_stats WHERE site = ?1 AND visitor_id IN ${VISITORS}`;
/** ?4 the session id. */
const READ_SESSION = 'SELECT page_views, last_seen, utm_source, utm_medium, utm_campaign FROM visitor_sessions WHERE site = ?1 AND session_id = ?4';

/** Products viewed at least ?5 times since ?6 and not bought; catalogue details win over the item
 * as last seen. The five are picked from the index alone (it holds views and last_viewed_at), and
 * only their rows and catalogue entries are read: joined before the LIMIT, every not-bought
 * product of a long history was read and looked up in the catalogue. */
const READ_INTERESTED = `
SELECT v.item_id AS item_id, k.views AS views, k.last_viewed_at AS last_viewed_at,
       coalesce(c.name, v.item ->> '$.item_name') AS item_name, coalesce(c.price, v.item ->> '$.price') AS price,
       coalesce(c.currency, v.item ->> '$.currency') AS currency, coalesce(c.image_url, v.item ->> '$.image_url') AS image_url,
       coalesce(c.url, v.item ->> '$.url') AS url
FROM (SELECT site, visitor_id, item_id, views, last_viewed_at FROM product_views INDEXED BY product_views_not_bought
      WHERE site = ?1 AND visitor_id IN ${VISITORS} AND views >= ?5 AND purchased_at IS NULL AND last_viewed_at >= ?6
      ORDER BY views DESC, last_viewed_at DESC LIMIT 5) k
JOIN product_views v ON v.site = k.site AND v.visitor_id = k.visitor_id AND v.item_id = k.item_id
LEFT JOIN catalog c ON c.site = v.site AND c.item_id = v.item_id
ORDER BY k.views DESC, k.last_viewed_at DESC`;

/** Items of the latest 10 orders placed since ?7, delivered before ?8 or placed before ?9, not
 * refunded, that the shopper has not reviewed (the shopper's orders by orders_by_visitor: left to
 * itself the planner walked every order of the site by the primary key). An order holds its item ids; name, image and link
 * come from the catalogue, else from the item as the purchase recorded it in product_views. */
const READ_REVIEWABLE = `
SELECT j.value AS item_id, coalesce(c.name, v.item ->> '$.item_name') AS item_name,
       coalesce(c.image_url, v.item ->> '$.image_url') AS image_url, coalesce(c.url, v.item ->> '$.url') AS url,
       o.transaction_id AS transaction_id, o.ts AS purchased_at, o.delivered_at AS delivered_at
FROM (SELECT site, transaction_id, visitor_id, ts, items, delivered_at FROM orders INDEXED BY orders_by_visitor
      WHERE site = ?1 AND visitor_id IN ${VISITORS} AND ts >= ?7 AND refunded_at IS NULL
        AND ((delivered_at IS NOT NULL AND delivered_at <= ?8) OR ts <= ?9)
      ORDER BY ts DESC LIMIT 10) o,
     json_each(o.items) j
     LEFT JOIN catalog c ON c.site = o.site AND c.item_id = j.value
     LEFT JOIN product_views v ON v.site = o.site AND v.visitor_id = o.visitor_id AND v.item_id = j.value
WHERE j.value IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM reviewed_products r WHERE r.site = ?1 AND r.visitor_id IN ${VISITORS} AND r.item_id = j.value)
ORDER BY o.ts DESC LIMIT 30`;

const READ_ORDER_TIMES = `SELECT ts FROM orders WHERE site = ?1 AND visitor_id IN ${VISITORS} ORDER BY ts DESC LIMIT ${ORDER_TIMES_READ}`;
const READ_COUPONS = `
SELECT code, benefit, expires_at, issued_at FROM member_coupons
WHERE site = ?1 AND visitor_id IN ${VISITORS} AND redeemed_at IS NULL ORDER BY coalesce(expires_at, 9e15) LIMIT 20`;
/** Products the shopper bought, with the cycle learned for each and the catalogue's own. */
const READ_PURCHASED = `
SELECT v.item_id AS item_id, coalesce(c.name, v.item ->> '$.item_name') AS item_name, v.purchased_at AS purchased_at, y.pairs AS pairs, y.median_ms AS median_ms,
       c.replenish_days AS replenish_days, coalesce(c.price, v.item ->> '$.price') AS price, coalesce(c.currency, v.item ->> '$.currency') AS currency,
       coalesce(c.image_url, v.item ->> '$.image_url') AS image_url, coalesce(c.url, v.item ->> '$.url') AS url
FROM product_views v LEFT JOIN item_cycles y ON y.site = v.site AND y.item_id = v.item_id
LEFT JOIN catalog c ON c.site = v.site AND c.item_id = v.item_id
WHERE v.site = ?1 AND v.visitor_id IN ${VISITORS} AND v.purchased_at IS NOT NULL
ORDER BY v.purchased_at DESC LIMIT 30`;
/** `+answered_at`: the order is the shopper's own answers sorted, not the site's answers walked
 * newest first by the export index until 100 are the shopper's. */
const READ_SURVEYS = `SELECT survey, question, answers, answered_at FROM survey_answers WHERE site = ?1 AND visitor_id IN ${VISITORS} ORDER BY +answered_at DESC LIMIT 100`;

const CONTROL_COLUMNS = ['visitor_id', 'in_control', 'cohort_day', 'assigned_at', 'orders', 'revenue'] as const satisfies readonly (keyof ControlRow)[];

/** Every read of the shopper, each an entry of one JSON object built in one statement (D1 then
 * carries one value, not a row object per row of eleven results). Optional reads are left out
 * when no enabled campaign needs them. */
const STATE_READS = {
  link: `(SELECT user_id FROM identity_links WHERE site = ?1 AND anon_id = ?2)`,
  profiles: jsonRows(PROFILE_COLUMNS, READ_PROFILES),
  widgets: jsonRows(WIDGET_COLUMNS, READ_WIDGETS),
  session: jsonRow(['page_views', 'last_seen', 'utm_source', 'utm_medium', 'utm_campaign'], READ_SESSION),
  control: jsonRows(CONTROL_COLUMNS, READ_CONTROL),
  interested: jsonRows(['item_id', 'views', 'last_viewed_at', 'item_name', 'price', 'currency', 'image_url', 'url'], READ_INTERESTED),
  review: jsonRows(['item_id', 'item_name', 'image_url', 'url', 'transaction_id', 'purchased_at', 'delivered_at'], READ_REVIEWABLE),
  orders: `(SELECT json_group_array(ts) FROM (${READ_ORDER_TIMES}))`,
  coupons: jsonRows(['code', 'benefit', 'expires_at', 'issued_at'], READ_COUPONS),
  purchased: jsonRows(['item_id', 'item_name', 'purchased_at', 'pairs', 'median_ms', 'replenish_days', 'price', 'currency', 'image_url', 'url'], READ_PURCHASED),
  surveys: jsonRows(['survey', 'question', 'answers', 'answered_at'], READ_SURVEYS),
} as const;
type StateRead = keyof typeof STATE_READS;

/** The read statement for a set of entries, built once per set. Every statement binds the same
 * nine parameters: ?1 site, ?2 anon id, ?3 'u:<user>' (or NULL), ?4 session id, ?5–?6 the
 * interested bounds, ?7–?9 the review bounds (NULL when unused). */
const stateSql = new Map<string, string>();
function stateStatementSql(reads: readonly StateRead[]): string {
  const key = reads.join();
  let sql = stateSql.get(key);
  if (!sql) {
    // The unused parameters are named so that every statement binds all nine.
    sql = `SELECT json_object(${reads.map((r) => `'${r}', ${STATE_READS[r]}`).join(',\n  ')}) AS state WHERE coalesce(?4, ?5, ?6, ?7, ?8, ?9, 1) IS NOT NULL`;
    stateSql.set(key, sql);
  }
  return sql;
}

interface StateJson {
  link: string | null;
  profiles: ProfileRow[];
  widgets: WidgetStatsRow[];
  session: SessionRow | null;
  control: ControlRow[];
  interested?: ProductCandidate[];
  review?: ReviewCandidate[];
  orders?: number[];
  coupons?: CouponRow[];
  purchased?: PurchasedProduct[];
  surveys?: SurveyAnswerRow[];
}

/** What interested-product and review campaigns read, loosest over the enabled ones (each
 * campaign then keeps what its own settings allow). Null: no such campaign. */
function candidateBounds(compiled: CompiledConfig, now: number) {
  const interested = compiled.campaigns.filter((c) => c.template === 'interested_product').map((c) => (c.cfg as CampaignOf<'interested_product'>).settings);
  const review = compiled.campaigns.filter((c) => c.template === 'review_prompt').map((c) => (c.cfg as CampaignOf<'review_prompt'>).settings);
  return {
    interested: interested.length === 0 ? null : [Math.min(...interested.map((s) => s.min_views)), now - Math.max(...interested.map((s) => s.lookback_days)) * DAY_MS] as const,
    review:
      review.length === 0
        ? null
        : ([
            now - Math.max(...review.map((s) => s.max_order_age_days)) * DAY_MS,
            now - Math.min(...review.map((s) => s.days_after_delivery)) * DAY_MS,
            now - Math.min(...review.map((s) => s.days_after_purchase)) * DAY_MS,
          ] as const),
  };
}

function parseCart(text: string | undefined): CartLine[] {
  if (!text) return [];
  try {
    const lines = JSON.parse(text);
    return Array.isArray(lines) ? (lines as CartLine[]).filter((l) => typeof l?.item_id === 'string' && l.quantity > 0) : [];
  } catch {
    return [];
  }
}

/** Sums a campaign's rows (a member's row and, until the merge lands, the device's anonymous one). */
function historyOf(rows: readonly WidgetStatsRow[], sessionId: string | null, dayStart: number): WidgetHistory {
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
    if (r.day_started_at !== null && r.day_started_at >= dayStart) h.dayExposures += r.day_exposures;
    h.lastDismissedAt = later(h.lastDismissedAt, r.last_dismissed_at);
    h.lastOverlayAt = later(h.lastOverlayAt, r.last_overlay_at);
  }
  return h;
}

/** `needs` overrides what the compiled config asks for (the admin profile view reads every fact). */
export async function readVisitorState(db: D1Reader, ref: VisitorRef, compiled: CompiledConfig, now: number, needs: FactNeeds = compiled.needs): Promise<VisitorState> {
  return (await readVisitorStateWith(db, ref, compiled, now, [], needs)).state;
}

/** The shopper's state and, in the same round trip, `alongside`'s results (in order): decide
 * reads a page's recommendations shelf this way. `sqlMs`: what D1 says its statements took to run
 * (their `meta.duration`), the rest of the round trip being D1's own overhead and the network. */
export async function readVisitorStateWith(
  db: D1Reader,
  ref: VisitorRef,
  compiled: CompiledConfig,
  now: number,
  alongside: readonly D1PreparedStatement[],
  needs: FactNeeds = compiled.needs,
): Promise<{ state: VisitorState; alongside: D1Result[]; sqlMs: number }> {
  const anon = ref.anon_id ?? '';
  const member = ref.user_id ? `u:${ref.user_id}` : null;
  const bounds = candidateBounds(compiled, now);
  const reads: StateRead[] = ['link', 'profiles', 'widgets', 'session', 'control'];
  if (bounds.interested) reads.push('interested');
  if (bounds.review) reads.push('review');
  if (needs.orderTimes) reads.push('orders');
  if (needs.coupons) reads.push('coupons');
  if (needs.repurchase) reads.push('purchased');
  if (needs.surveys) reads.push('surveys');
  const read = db
    .prepare(stateStatementSql(reads))
    .bind(ref.site, anon, member, ref.session_id ?? '', ...(bounds.interested ?? [null, null]), ...(bounds.review ?? [null, null, null]));
  const answers = await db.batch([read, ...alongside]);
  const found = JSON.parse((answers[0]?.results[0] as { state: string } | undefined)?.state ?? '{}') as StateJson;

  const visitorId = member ?? (found.link ? `u:${found.link}` : `a:${anon}`);
  const profileRows = found.profiles ?? [];
  // The member's profile when there is one; the device's own until its merge is applied.
  const profile = profileRows.find((p) => p.visitor_id.startsWith('u:')) ?? profileRows[0] ?? null;

  const widgetRows = found.widgets ?? [];
  const byCampaign = new Map<string, WidgetStatsRow[]>();
  for (const row of widgetRows) byCampaign.set(row.campaign, [...(byCampaign.get(row.campaign) ?? []), row]);
  const campaigns: Partial<Record<string, WidgetHistory>> = {};
  const timezone = ref.timezone ?? DEFAULT_TIMEZONE;
  const dayStart = localDayStart(localClock(now, timezone).day, timezone);
  for (const [campaign, rows] of byCampaign) campaigns[campaign] = historyOf(rows, ref.session_id, dayStart);

  const seen = new Set<string>();
  const reviewable = (found.review ?? []).filter((r) => !seen.has(r.item_id) && seen.add(r.item_id));

  const state: VisitorState = {
    visitorId,
    profile,
    cart: parseCart(profile?.cart),
    campaigns,
    widgetRows,
    session: found.session ?? null,
    interested: found.interested ?? [],
    reviewable,
    orderTimes: needs.orderTimes ? (found.orders ?? []) : null,
    coupons: found.coupons ?? [],
    purchased: found.purchased ?? [],
    surveyAnswers: found.surveys ?? [],
    control: found.control ?? [],
  };
  const sqlMs = answers.reduce((sum, answer) => sum + (answer.meta?.duration ?? 0), 0);
  return { state, alongside: answers.slice(1), sqlMs };
}

/** The interested-product candidate for one campaign: viewed at least its `min_views` times in
 * its lookback, not in the cart, not the product on screen. */
export function interestedProduct(state: VisitorState, request: DecideRequestT, settings: CampaignOf<'interested_product'>['settings'], now: number): ProductCandidate | null {
  const inCart = new Set(state.cart.map((l) => l.item_id));
  const since = now - settings.lookback_days * DAY_MS;
  return state.interested.find((p) => p.views >= settings.min_views && p.last_viewed_at >= since && !inCart.has(p.item_id) && p.item_id !== request.page.item_id) ?? null;
}

/** Purchases one review campaign may ask about, by its own timing settings. */
export function reviewableFor(state: VisitorState, settings: CampaignOf<'review_prompt'>['settings'], now: number): ReviewCandidate[] {
  return state.reviewable.filter(
    (r) =>
      r.purchased_at >= now - settings.max_order_age_days * DAY_MS &&
      ((r.delivered_at !== null && r.delivered_at <= now - settings.days_after_delivery * DAY_MS) || r.purchased_at <= now - settings.days_after_purchase * DAY_MS),
  );
}
