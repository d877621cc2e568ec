import { SERVER_ONLY_EVENTS } from '../contract';
import { epochMs, events, maxOf, minOf } from './sql';

/** Profile facts from what the shop's server sends (points, tier, coupons), from sign-ups and
 * from survey answers. Run inside the batch's exactly-once transaction with the profile
 * processor's other statements (parameters :site, :events). Points and tier are snapshots: the
 * latest `ts` wins, whatever order batches arrive in. These events say nothing of the shopper
 * being on the site, so they create a missing profile but never move its last visit. */

/** The latest event of `name` per visitor (and per `also`, extra SQL to partition by), as the CTE `latest (visitor, ts, props)`. */
const latest = (name: string, also = '') => `${events(`e.name = '${name}'`)},
latest AS (SELECT visitor, ts, props FROM (
  SELECT visitor, ts, props, row_number() OVER (PARTITION BY visitor${also} ORDER BY ts DESC, id DESC) AS rn FROM ev) WHERE rn = 1)`;

const POINTS = `
WITH ${latest('points_updated')}
INSERT INTO profiles (site, visitor_id, first_seen, last_seen, is_member, points_balance, points_expiring, points_updated_at)
SELECT :site, visitor, ts, ts, 1, props ->> '$.balance',
       (SELECT json_group_array(json_object('amount', j.value ->> '$.amount', 'expires_at', ${epochMs("(j.value ->> '$.expires_at')")}))
        FROM jsonb_each(props, '$.expiring') j),
       ts
FROM latest WHERE true
ON CONFLICT (site, visitor_id) DO UPDATE SET
  points_balance = excluded.points_balance, points_expiring = excluded.points_expiring, points_updated_at = excluded.points_updated_at
WHERE profiles.points_updated_at IS NULL OR excluded.points_updated_at >= profiles.points_updated_at`;

/** A move is a tier other than the one on record (SET reads the row as it was); it rose when the
 * new tier is the one the server had named as next. The first tier ever sent is no move. */
const TIER = `
WITH ${latest('tier_updated')}
INSERT INTO profiles (site, visitor_id, first_seen, last_seen, is_member, tier, next_tier, amount_to_next_tier, tier_drops_at, tier_updated_at)
SELECT :site, visitor, ts, ts, 1, props ->> '$.tier', props ->> '$.next_tier', props ->> '$.amount_to_next',
       ${epochMs("(props ->> '$.drops_at')")}, ts
FROM latest WHERE true
ON CONFLICT (site, visitor_id) DO UPDATE SET
  tier = excluded.tier, next_tier = excluded.next_tier, amount_to_next_tier = excluded.amount_to_next_tier,
  tier_drops_at = excluded.tier_drops_at, tier_updated_at = excluded.tier_updated_at,
  tier_changed_at = CASE WHEN profiles.tier IS NOT NULL AND profiles.tier IS NOT excluded.tier THEN excluded.tier_updated_at ELSE profiles.tier_changed_at END,
  tier_rose = CASE WHEN profiles.tier IS NOT NULL AND profiles.tier IS NOT excluded.tier THEN (profiles.next_tier IS excluded.tier) ELSE profiles.tier_rose END
WHERE profiles.tier_updated_at IS NULL OR excluded.tier_updated_at >= profiles.tier_updated_at`;

const STAMPS = `
WITH ${latest('stamps_updated')}
INSERT INTO profiles (site, visitor_id, first_seen, last_seen, is_member, stamps, stamps_updated_at)
SELECT :site, visitor, ts, ts, 1, props ->> '$.stamps', ts
FROM latest WHERE true
ON CONFLICT (site, visitor_id) DO UPDATE SET stamps = excluded.stamps, stamps_updated_at = excluded.stamps_updated_at
WHERE profiles.stamps_updated_at IS NULL OR excluded.stamps_updated_at >= profiles.stamps_updated_at`;

/** A coupon issued again after it was redeemed is open again. */
const COUPONS_ISSUED = `
WITH ${events("e.name = 'coupon_issued'")}
INSERT INTO member_coupons (site, visitor_id, code, benefit, expires_at, issued_at)
SELECT :site, visitor, props ->> '$.code', props ->> '$.benefit', ${epochMs("(props ->> '$.expires_at')")}, max(ts)
FROM ev GROUP BY visitor, props ->> '$.code'
ON CONFLICT (site, visitor_id, code) DO UPDATE SET
  benefit = excluded.benefit, expires_at = excluded.expires_at, issued_at = max(member_coupons.issued_at, excluded.issued_at),
  redeemed_at = CASE WHEN excluded.issued_at > coalesce(member_coupons.redeemed_at, 0) THEN NULL ELSE member_coupons.redeemed_at END`;

/** A redemption is kept even when its coupon_issued has not arrived yet (the shop's systems may
 * send them out of order): the row then holds no benefit and issued_at 0 until the issue lands,
 * which fills them in and leaves it redeemed, since it was issued before it was used. Every reader
 * of open coupons skips redeemed rows. */
const COUPONS_REDEEMED = `
WITH ${events("e.name = 'coupon_redeemed'")},
r AS (SELECT visitor, props ->> '$.code' AS code, max(ts) AS ts FROM ev GROUP BY 1, 2)
INSERT INTO member_coupons (site, visitor_id, code, benefit, expires_at, issued_at, redeemed_at)
SELECT :site, visitor, code, '', NULL, 0, ts FROM r WHERE true
ON CONFLICT (site, visitor_id, code) DO UPDATE SET redeemed_at = ${maxOf('member_coupons.redeemed_at', 'excluded.redeemed_at')}
WHERE member_coupons.issued_at <= excluded.redeemed_at`;

/** The first sign-up is when the shopper became a member (runs after the profile exists). */
const SIGN_UP = `
WITH ${events("e.name = 'sign_up'")},
s AS (SELECT visitor, min(ts) AS ts FROM ev GROUP BY visitor)
UPDATE profiles SET signed_up_at = ${minOf('profiles.signed_up_at', 's.ts')}
FROM s WHERE profiles.site = :site AND profiles.visitor_id = s.visitor`;

const SURVEYS = `
WITH ${latest('survey_answer', ", props ->> '$.survey', props ->> '$.question'")}
INSERT INTO survey_answers (site, visitor_id, survey, question, answers, answered_at)
SELECT :site, visitor, props ->> '$.survey', props ->> '$.question',
       CASE WHEN json_type(props, '$.answer') = 'array' THEN json(props -> '$.answer') ELSE json_array(props ->> '$.answer') END, ts
FROM latest WHERE true
ON CONFLICT (site, visitor_id, survey, question) DO UPDATE SET answers = excluded.answers, answered_at = excluded.answered_at
WHERE excluded.answered_at >= survey_answers.answered_at`;

/** Events that only describe the member (not a visit): the profile processor's activity
 * statement leaves them out. */
export const FACT_ONLY_EVENTS: readonly string[] = [...SERVER_ONLY_EVENTS];

/** The statements the batch's fact events need, each with the one event name it reads. */
export function shopFactStatements(names: ReadonlySet<string>): { sql: string; reads: string }[] {
  const byName: [string, string][] = [
    ['points_updated', POINTS],
    ['tier_updated', TIER],
    ['coupon_issued', COUPONS_ISSUED],
    ['coupon_redeemed', COUPONS_REDEEMED],
    ['stamps_updated', STAMPS],
    ['sign_up', SIGN_UP],
    ['survey_answer', SURVEYS],
  ];
  return byName.filter(([name]) => names.has(name)).map(([reads, sql]) => ({ sql, reads }));
}
