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
  AND NOT EXISTS (SELECT 1 FROM events x WHERE x.site = :site AND x.anon_id = v.anon_id AND x.user_id IS NOT NULL AND 'u:' || x.user_id = c.visitor_id)
ON CONFLICT (site, friend_anon) DO NOTHING`;

const VOID_OWN_BROWSERS = `
UPDATE referrals SET void_reason = 'inviter_signed_in'
WHERE site = :site AND void_reason IS NULL
  AND (friend_anon, inviter) IN (SELECT e.anon_id, 'u:' || e.user_id FROM events e
                                 WHERE e.batch_id = :batch AND e.site = :site AND e.user_id IS NOT NULL AND {claimed})`;

const FRIEND_MEMBER = `
UPDATE referrals SET friend_user = f.user_id
FROM (SELECT e.anon_id, max(e.user_id) AS user_id FROM events e
      WHERE e.batch_id = :batch AND e.site = :site AND e.user_id IS NOT NULL AND {claimed} GROUP BY e.anon_id) f
WHERE referrals.site = :site AND referrals.friend_anon = f.anon_id AND referrals.friend_user IS NULL AND referrals.void_reason IS NULL`;

const SIGN_UPS = `
UPDATE referrals SET signed_up_at = s.ts, signup_webhook = 'pending'
FROM (SELECT e.anon_id, min(e.ts) AS ts FROM events e
      WHERE e.batch_id = :batch AND e.site = :site AND e.name = 'sign_up' AND {claimed} GROUP BY e.anon_id) s
WHERE referrals.site = :site AND referrals.friend_anon = s.anon_id AND referrals.signed_up_at IS NULL
  AND referrals.void_reason IS NULL AND s.ts >= referrals.visited_at`;

const FIRST_ORDERS = `
UPDATE referrals SET first_order_at = p.ts, first_order_id = p.transaction_id, first_order_value = p.value, order_webhook = 'pending'
FROM (SELECT e.anon_id, e.user_id, min(e.ts) AS ts, e.props ->> '$.transaction_id' AS transaction_id, e.props ->> '$.value' AS value
      FROM events e WHERE e.batch_id = :batch AND e.site = :site AND e.name = 'purchase' AND {claimed} GROUP BY e.anon_id) p
WHERE referrals.site = :site AND referrals.first_order_at IS NULL AND referrals.void_reason IS NULL
  AND (referrals.friend_anon = p.anon_id OR referrals.friend_user = p.user_id) AND p.ts >= referrals.visited_at
  AND NOT EXISTS (SELECT 1 FROM events x WHERE x.site = :site AND x.anon_id = referrals.friend_anon AND x.name = 'purchase' AND x.ts < referrals.visited_at)`;

/** One entry for the post-ingest pipeline: the batch's stored events in, referral rows out. */
export const referralsFromEvents: BatchProcessor = async (db, batch) =>
  [CREDIT_VISITS, VOID_OWN_BROWSERS, FRIEND_MEMBER, SIGN_UPS, FIRST_ORDERS].map((sql) => guardedStatement(db, batch, sql, { site: batch.site, batch: batch.id }));
