import { archiveErasureStatement } from '../archive/erase';
import { personOf } from '../identity/person';
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/api-error';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { knownSite } from '../sites/known-site';
import { siteDb } from '../sites/site-database';

/** Tables holding rows of one visitor under its visitor id ('a:<anon_id>' | 'u:<user_id>'). */
const BY_VISITOR_ID = [
  'profiles',
  'product_views',
  'orders',
  'decisions',
  'cart_items',
  'reviewed_products',
  // Measurement: the person's attribution state and stage moves (report_daily holds no visitor).
  'report_visitors',
  'report_credits',
  'stage_moves',
  // The store-wide control-group assignment (edge/decide/control-group.ts).
  'control_group',
  'control_credits',
  'widget_stats',
  'rec_visitor_items',
  'rec_visitor_categories',
  'leads',
  'reviews',
  // What the shop's server sent of the member, their survey answers, their repeat-purchase pairs.
  'member_coupons',
  'survey_answers',
  'item_repurchases',
  // Survey answer sets, and the member's invite code.
  'survey_responses',
  'referral_codes',
  // Their entries into hand-off audiences (edge/handoff/sweep.ts).
  'handoff_members',
] as const;

/** A parked message body whose events SQL can read one by one. */
const PARSED_EVENTS = `json_valid(body) AND json_type(body, '$.events') = 'array'`;

const chunks = (ids: string[], size = 30) => Array.from({ length: Math.ceil(ids.length / size) }, (_, i) => ids.slice(i * size, (i + 1) * size));

const VISITOR = /^(a|u):(.{1,128})$/s;

/** DELETE /v1/admin/sites/:site/visitors/:visitor_id — erases a shopper ('a:<anon_id>' or
 * 'u:<user_id>', the ids the profile endpoint shows): events, profile, identity links, sessions,
 * product views, cart, orders, decisions, widget stats, per-visitor recommendation data, leads,
 * reviews, hand-off entries and the webhooks about them, in one D1 batch (all or nothing), which also queues the rewrite of the archived days
 * in R2 that hold them. Aggregates without visitor ids (item co-occurrence,
 * daily item counts) stay. */
export const adminVisitors = new Hono<AppEnv>().delete('/v1/admin/sites/:site/visitors/:visitor_id', requireSiteAdmin, async (c) => {
  const settings = await knownSite(c);
  const site = settings.id;
  const db = siteDb(c.env, settings);
  const match = VISITOR.exec(c.req.param('visitor_id'));
  if (!match) throw new ApiError(400, 'invalid_visitor', "Name the shopper as 'a:<anon_id>' or 'u:<user_id>'.");
  const { anons, users } = await personOf(db, site, match[1] as 'a' | 'u', match[2]!);
  // Positional parameters, each statement binding exactly its own (D1 refuses extra ones).
  const inList = (values: string[]) => (values.length ? values.map(() => '?').join() : 'NULL');
  const erase = (anons: string[], users: string[]): [string, string[]][] => {
    const visitorIds = [...anons.map((id) => `a:${id}`), ...users.map((id) => `u:${id}`)];
    const A = inList(anons);
    const U = inList(users);
    const V = inList(visitorIds);
    return [
      [
        `DELETE FROM rec_session_items WHERE site = ? AND session_id IN (SELECT session_id FROM visitor_sessions WHERE site = ? AND anon_id IN (${A})
           UNION SELECT DISTINCT session_id FROM events WHERE site = ? AND (anon_id IN (${A}) OR user_id IN (${U})))`,
        [site, site, ...anons, site, ...anons, ...users],
      ],
      [`DELETE FROM report_redemptions WHERE site = ? AND transaction_id IN (SELECT transaction_id FROM orders WHERE site = ? AND visitor_id IN (${V}))`, [site, site, ...visitorIds]],
      [`DELETE FROM events WHERE site = ? AND (anon_id IN (${A}) OR user_id IN (${U}))`, [site, ...anons, ...users]],
      [`DELETE FROM identity_links WHERE site = ? AND (anon_id IN (${A}) OR user_id IN (${U}))`, [site, ...anons, ...users]],
      [`DELETE FROM visitor_sessions WHERE site = ? AND anon_id IN (${A})`, [site, ...anons]],
      // Traffic kept out of the data (edge/ingest/traffic-filter.ts) is the person's too.
      [`DELETE FROM excluded_events WHERE site = ? AND anon_id IN (${A})`, [site, ...anons]],
      [`DELETE FROM test_browsers WHERE site = ? AND anon_id IN (${A})`, [site, ...anons]],
      ...BY_VISITOR_ID.map((table): [string, string[]] => [`DELETE FROM ${table} WHERE site = ? AND visitor_id IN (${V})`, [site, ...visitorIds]]),
      [`DELETE FROM leads WHERE site = ? AND (anon_id IN (${A}) OR user_id IN (${U}))`, [site, ...anons, ...users]],
      [`DELETE FROM reviews WHERE site = ? AND (anon_id IN (${A}) OR user_id IN (${U}))`, [site, ...anons, ...users]],
      // Referrals the person made (as inviter) or came through (as friend).
      [`DELETE FROM referrals WHERE site = ? AND (inviter IN (${V}) OR friend_anon IN (${A}) OR friend_user IN (${U}))`, [site, ...visitorIds, ...anons, ...users]],
      // What the referral step keeps of the person's browsers (edge/referrals/credit.ts).
      [`DELETE FROM referral_browser_members WHERE site = ? AND (anon_id IN (${A}) OR user_id IN (${U}))`, [site, ...anons, ...users]],
      [`DELETE FROM referral_browser_orders WHERE site = ? AND anon_id IN (${A})`, [site, ...anons]],
      // Webhooks about them, sent or still waiting (a pending one would carry their data out after the erasure).
      [`DELETE FROM webhook_deliveries WHERE site = ? AND shopper IN (${V})`, [site, ...visitorIds]],
      // Queue mode's parked messages: their events leave the message (the others stay for replay);
      // a message left with none goes, and so does an unreadable one that names them.
      [
        `UPDATE dead_letters SET body = json_set(body, '$.events', json((
           SELECT json_group_array(json(e.value)) FROM json_each(dead_letters.body, '$.events') e
           WHERE NOT (coalesce(e.value ->> '$.anon_id' IN (${A}), 0) OR coalesce(e.value ->> '$.user_id' IN (${U}), 0)))))
         WHERE site = ? AND ${PARSED_EVENTS} AND EXISTS (
           SELECT 1 FROM json_each(dead_letters.body, '$.events') e WHERE e.value ->> '$.anon_id' IN (${A}) OR e.value ->> '$.user_id' IN (${U}))`,
        [...anons, ...users, site, ...anons, ...users],
      ],
      [`DELETE FROM dead_letters WHERE site = ? AND ${PARSED_EVENTS} AND json_array_length(body, '$.events') = 0`, [site]],
      [
        `DELETE FROM dead_letters WHERE site = ? AND NOT (${PARSED_EVENTS}) AND (${[...anons, ...users].map(() => 'instr(body, json_quote(?)) > 0').join(' OR ') || 'false'})`,
        [site, ...anons, ...users],
      ],
    ];
  };
  // D1 binds at most 100 parameters a statement: the ids go in chunks, all in one atomic batch.
  const statements = [...chunks(anons).flatMap((part) => erase(part, [])), ...chunks(users).flatMap((part) => erase([], part))];
  const results = await db.batch([
    ...statements.map(([sql, args]) => db.prepare(sql).bind(...args)),
    // Archived days are rewritten by the cron (edge/archive/erase.ts), recorded in the same batch.
    archiveErasureStatement(db, site, anons, users, Date.now()),
  ]);
  const deleted = results.slice(0, statements.length).reduce((sum, result) => sum + (result.meta.changes ?? 0), 0);
  return c.json({ erased: { anon_ids: anons, user_ids: users }, rows_deleted: deleted, archive_erasure: 'queued' });
});
