import { guardedStatement, statementFor } from '../pipeline/guarded-statement';
import { BATCH_EVENTS, type PipelineBatch, type StepStatements } from '../pipeline/batch';

/** Credits visits through invite links to the inviter, and records the friend's sign-up and first
 * order (README, "Referrals", states these rules):
 * - a page view whose URL holds `tp_ref=<code>` of a member's code credits that browser (its
 *   anonymous id) to the member, unless it is the member's own: the event names the member, or the
 *   browser is linked to the member (identity link) or has ever sent an event as the member;
 * - a browser is credited once, to the first inviter whose link it opened;
 * - a credited browser that later signs in as the inviter was the inviter's own: the credit is
 *   void (it counts nowhere);
 * - the friend's sign-up counts once, if it follows the visit; their first order counts if it
 *   follows the visit and the browser had placed no order before it (a customer already is not a
 *   new one), on that browser or as the member it signed up as.
 * Steps recorded get their hand-off webhook state 'pending' (edge/referrals/webhook.ts).
 *
 * Full event rows stay in D1 only about a day (README, "Event archive"), so the two facts of a
 * browser's past that the rules need are kept by this step in tables of its own, written first so
 * the batch's own events count: every member a browser has sent events as
 * (referral_browser_members; identity_links holds only the latest), and when it first ordered
 * (referral_browser_orders; orders move to the member's profile id once the browser signs in).
 * Everything else is read from the batch's events in memory (BATCH_EVENTS). */

/** The batch's browsers that sent events as a member (`:pairs`, distinct [{anon_id, user_id}]). */
const PAIRS = `SELECT x.value ->> '$.anon_id' AS anon_id, x.value ->> '$.user_id' AS user_id FROM jsonb_each(:pairs) x WHERE {claimed}`;

const RECORD_MEMBERS = `
INSERT INTO referral_browser_members (site, anon_id, user_id)
SELECT :site, b.anon_id, b.user_id FROM (${PAIRS}) b WHERE true
ON CONFLICT (site, anon_id, user_id) DO NOTHING`;

const RECORD_FIRST_ORDERS = `
INSERT INTO referral_browser_orders (site, anon_id, first_order_at)
SELECT :site, e.anon_id, min(e.ts) FROM ${BATCH_EVENTS} e WHERE e.name = 'purchase' AND {claimed} GROUP BY e.anon_id
ON CONFLICT (site, anon_id) DO UPDATE SET first_order_at = min(referral_browser_orders.first_order_at, excluded.first_order_at)`;

const CREDIT_VISITS = `
INSERT INTO referrals (site, friend_anon, code, inviter, visited_at)
SELECT :site, v.anon_id, c.code, c.visitor_id, v.ts
FROM (SELECT e.anon_id, e.user_id, min(e.ts) AS ts, substr(e.url, instr(e.url, 'tp_ref=') + 7, 16) AS code
      FROM ${BATCH_EVENTS} e WHERE e.name = 'page_view' AND instr(e.url, 'tp_ref=') > 0 AND {claimed}
      GROUP BY e.anon_id) v
JOIN referral_codes c ON c.site = :site AND c.code = v.code
WHERE (v.user_id IS NULL OR c.visitor_id <> 'u:' || v.user_id)
  AND NOT EXISTS (SELECT 1 FROM identity_links l WHERE l.site = :site AND l.anon_id = v.anon_id AND 'u:' || l.user_id = c.visitor_id)
  AND NOT EXISTS (SELECT 1 FROM referral_browser_members m WHERE m.site = :site AND m.anon_id = v.anon_id AND 'u:' || m.user_id = c.visitor_id)
ON CONFLICT (site, friend_anon) DO NOTHING`;

// The updates below start from the batch's own events (an IN over them meets the referrals'
// primary key or friend_user index), so a batch costs the same however many referrals a site has.
// Each CTE is read twice (the IN and the row's own subquery), so it is materialized.

const SIGNED_IN = `WITH b AS MATERIALIZED (${PAIRS})`;

const VOID_OWN_BROWSERS = `${SIGNED_IN}
UPDATE referrals SET void_reason = 'inviter_signed_in'
WHERE site = :site AND void_reason IS NULL AND friend_anon IN (SELECT anon_id FROM b)
  AND EXISTS (SELECT 1 FROM b WHERE b.anon_id = referrals.friend_anon AND 'u:' || b.user_id = referrals.inviter)`;

const FRIEND_MEMBER = `${SIGNED_IN}
UPDATE referrals SET friend_user = (SELECT max(b.user_id) FROM b WHERE b.anon_id = referrals.friend_anon)
WHERE site = :site AND friend_user IS NULL AND void_reason IS NULL AND friend_anon IN (SELECT anon_id FROM b)`;

const SIGN_UPS = `
WITH s AS MATERIALIZED (SELECT e.anon_id, e.ts FROM ${BATCH_EVENTS} e WHERE e.name = 'sign_up' AND {claimed})
UPDATE referrals SET signed_up_at = (SELECT min(s.ts) FROM s WHERE s.anon_id = referrals.friend_anon AND s.ts >= referrals.visited_at), signup_webhook = 'pending'
WHERE site = :site AND signed_up_at IS NULL AND void_reason IS NULL AND friend_anon IN (SELECT anon_id FROM s)
  AND EXISTS (SELECT 1 FROM s WHERE s.anon_id = referrals.friend_anon AND s.ts >= referrals.visited_at)`;

/** The friend's purchases in the batch after the visit, on their browser or as their member id. */
const FRIEND_PURCHASES = `FROM p WHERE p.ts >= referrals.visited_at AND (p.anon_id = referrals.friend_anon OR p.user_id = referrals.friend_user)`;

/** The friend's first order, found by their browser or (another device) by their member id: two
 * statements, each on its own index; the second finds nothing left once the first set it. */
const firstOrders = (friends: string, index = '') => `
WITH p AS MATERIALIZED (
  SELECT e.id, e.anon_id, e.user_id, e.ts, e.props ->> '$.transaction_id' AS tx, e.props ->> '$.value' AS value
  FROM ${BATCH_EVENTS} e WHERE e.name = 'purchase' AND {claimed})
UPDATE referrals ${index} SET (first_order_at, first_order_id, first_order_value) =
    (SELECT p.ts, p.tx, p.value ${FRIEND_PURCHASES} ORDER BY p.ts, p.id LIMIT 1),
  order_webhook = 'pending'
WHERE site = :site AND first_order_at IS NULL AND void_reason IS NULL AND ${friends}
  AND EXISTS (SELECT 1 ${FRIEND_PURCHASES})
  AND NOT EXISTS (SELECT 1 FROM referral_browser_orders o WHERE o.site = :site AND o.anon_id = referrals.friend_anon AND o.first_order_at < referrals.visited_at)`;
const FIRST_ORDERS_BY_BROWSER = firstOrders('friend_anon IN (SELECT anon_id FROM p)');
const FIRST_ORDERS_BY_MEMBER = firstOrders('friend_user IN (SELECT user_id FROM p WHERE user_id IS NOT NULL)', 'INDEXED BY referrals_by_friend_user');

/** Each statement over the batch's events it reads (props only where it reads them). */
const EVENT_STATEMENTS: readonly [sql: string, names: readonly string[], props: boolean, urlHas?: string][] = [
  [RECORD_FIRST_ORDERS, ['purchase'], false],
  // Only page views through an invite link: a batch of ordinary page views sends this nothing.
  [CREDIT_VISITS, ['page_view'], false, 'tp_ref='],
];
const PAIR_STATEMENTS = [VOID_OWN_BROWSERS, FRIEND_MEMBER];
const LATER_EVENT_STATEMENTS: readonly [sql: string, names: readonly string[], props: boolean][] = [
  [SIGN_UPS, ['sign_up'], false],
  [FIRST_ORDERS_BY_BROWSER, ['purchase'], true],
  [FIRST_ORDERS_BY_MEMBER, ['purchase'], true],
];

/** The batch's distinct (browser, member) pairs as JSON, or null when no event names a member. */
function memberPairs(batch: PipelineBatch): string | null {
  const pairs = new Map<string, { anon_id: string; user_id: string }>();
  for (const e of batch.events) if (e.user_id) pairs.set(JSON.stringify([e.anon_id, e.user_id]), { anon_id: e.anon_id, user_id: e.user_id });
  return pairs.size === 0 ? null : JSON.stringify([...pairs.values()]);
}

/** The referral step of the post-ingest pipeline: the batch's events in, referral rows out, in
 * this order (the browser facts first, so the batch's own events count). */
export const referralsFromEvents: StepStatements = async (db, batch) => {
  const pairs = memberPairs(batch);
  const withPairs = (sql: string) => (pairs === null ? null : guardedStatement(db, batch, sql, { pairs }));
  const overEvents = ([sql, names, props, urlHas]: readonly [string, readonly string[], boolean, string?]) => statementFor(db, batch, names, sql, {}, { props, urlHas });
  return [withPairs(RECORD_MEMBERS), ...EVENT_STATEMENTS.map(overEvents), ...PAIR_STATEMENTS.map(withPairs), ...LATER_EVENT_STATEMENTS.map(overEvents)].filter(
    (s): s is D1PreparedStatement => s !== null,
  );
};
