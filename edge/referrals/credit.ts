import { guardedStatement } from '../ingest/guarded-statement';
import type { BatchProcessor } from '../ingest/process-batch';

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
 * Steps recorded get their hand-off webhook state 'pending' (edge/referrals/webhook.ts). */

const CREDIT_VISITS = `
INSERT INTO referrals (site, friend_anon, code, inviter, visited_at)
SELECT :site, v.anon_id, c.code, c.visitor_id, v.ts
FROM (SELECT e.anon_id, e.user_id, min(e.ts) AS ts, substr(e.url, instr(e.url, 'tp_ref=') + 7, 16) AS code
      FROM events e WHERE e.batch_id = :batch AND e.site = :site AND e.name = 'page_view' AND instr(e.url, 'tp_ref=') > 0 AND {claimed}
      GROUP BY e.anon_id) v
JOIN referral_codes c ON c.site = :site AND c.code = v.code
WHERE (v.user_id IS NULL OR c.visitor_id <> 'u:' || v.user_id)
  AND NOT EXISTS (SELECT 1 FROM identity_links l WHERE l.site = :site AND l.anon_id = v.anon_id AND 'u:' || l.user_id = c.visitor_id)
  AND NOT EXISTS (SELECT 1 FROM events x INDEXED BY events_by_visitor
                  WHERE x.site = :site AND x.anon_id = v.anon_id AND x.user_id IS NOT NULL AND 'u:' || x.user_id = c.visitor_id)
ON CONFLICT (site, friend_anon) DO NOTHING`;

// The updates below start from the batch's own events (an IN over them meets the referrals'
// primary key or friend_user index), so a batch costs the same however many referrals a site has.
const BATCH = (where: string) => `SELECT e.anon_id FROM events e WHERE e.batch_id = :batch AND e.site = :site AND ${where} AND {claimed}`;
const OF_FRIEND = (where: string) => `FROM events e WHERE e.batch_id = :batch AND e.site = :site AND ${where} AND e.anon_id = referrals.friend_anon`;

const VOID_OWN_BROWSERS = `
UPDATE referrals SET void_reason = 'inviter_signed_in'
WHERE site = :site AND void_reason IS NULL AND friend_anon IN (${BATCH('e.user_id IS NOT NULL')})
  AND EXISTS (SELECT 1 ${OF_FRIEND("'u:' || e.user_id = referrals.inviter")})`;

const FRIEND_MEMBER = `
UPDATE referrals SET friend_user = (SELECT max(e.user_id) ${OF_FRIEND('e.user_id IS NOT NULL')})
WHERE site = :site AND friend_user IS NULL AND void_reason IS NULL AND friend_anon IN (${BATCH('e.user_id IS NOT NULL')})`;

const SIGN_UPS = `
UPDATE referrals SET signed_up_at = (SELECT min(e.ts) ${OF_FRIEND("e.name = 'sign_up' AND e.ts >= referrals.visited_at")}), signup_webhook = 'pending'
WHERE site = :site AND signed_up_at IS NULL AND void_reason IS NULL AND friend_anon IN (${BATCH("e.name = 'sign_up'")})
  AND EXISTS (SELECT 1 ${OF_FRIEND("e.name = 'sign_up' AND e.ts >= referrals.visited_at")})`;

/** The friend's purchases in the batch after the visit, on their browser or as their member id. */
const FRIEND_PURCHASES = `FROM events e WHERE e.batch_id = :batch AND e.site = :site AND e.name = 'purchase' AND e.ts >= referrals.visited_at
  AND (e.anon_id = referrals.friend_anon OR e.user_id = referrals.friend_user)`;

/** The friend's first order, found by their browser or (another device) by their member id: two
 * statements, each on its own index; the second finds nothing left once the first set it. */
const firstOrders = (friends: string, index = '') => `
UPDATE referrals ${index} SET (first_order_at, first_order_id, first_order_value) =
    (SELECT e.ts, e.props ->> '$.transaction_id', e.props ->> '$.value' ${FRIEND_PURCHASES} ORDER BY e.ts, e.id LIMIT 1),
  order_webhook = 'pending'
WHERE site = :site AND first_order_at IS NULL AND void_reason IS NULL AND ${friends}
  AND EXISTS (SELECT 1 ${FRIEND_PURCHASES})
  AND NOT EXISTS (SELECT 1 FROM events x WHERE x.site = :site AND x.anon_id = referrals.friend_anon AND x.name = 'purchase' AND x.ts < referrals.visited_at)`;
const FIRST_ORDERS_BY_BROWSER = firstOrders(`friend_anon IN (${BATCH("e.name = 'purchase'")})`);
const FIRST_ORDERS_BY_MEMBER = firstOrders(
  `friend_user IN (SELECT e.user_id FROM events e WHERE e.batch_id = :batch AND e.site = :site AND e.name = 'purchase' AND e.user_id IS NOT NULL AND {claimed})`,
  'INDEXED BY referrals_by_friend_user',
);

/** One entry for the post-ingest pipeline: the batch's stored events in, referral rows out. */
export const referralsFromEvents: BatchProcessor = async (db, batch) =>
  [CREDIT_VISITS, VOID_OWN_BROWSERS, FRIEND_MEMBER, SIGN_UPS, FIRST_ORDERS_BY_BROWSER, FIRST_ORDERS_BY_MEMBER].map((sql) => guardedStatement(db, batch, sql, { site: batch.site, batch: batch.id }));
