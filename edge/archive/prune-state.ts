import { localClock, localDayStart } from '../lib/site-time';
import { boundLimit } from '../lib/sql-limit';
import { PRUNE_BATCH_ROWS } from './prune';
import { firstTrendingDay } from '../recs/trending';

/** What grew in D1 with every event and is read only within the hot window leaves once the
 * window has passed: decision records, excluded events (counted into a daily rollup first),
 * sessions, with a browser's last session the state of an anonymous browser that never came
 * back, the webhook deliveries that reached the shop, and product activity days older than
 * trending reads. Each step deletes in short statements,
 * at most `maxRows` a call, and is idempotent: a crash between statements leaves the rest for the
 * next run. Rollups, orders, members and buyers stay (README, "The event archive"). */

/** Decision records older than `before`: widget events, leads and reviews read their decision
 * within the hot window (events older than the dedupe horizon are refused), reports read rollups. */
export async function pruneDecisions(db: D1Database, site: string, before: number, maxRows = 20 * PRUNE_BATCH_ROWS): Promise<number> {
  const sql = `DELETE FROM decisions WHERE site = ?1 AND id IN (SELECT id FROM decisions WHERE site = ?1 AND ts < ?2 ORDER BY ts LIMIT ${PRUNE_BATCH_ROWS})`;
  return deleteInSlices(db.prepare(sql).bind(site, before), maxRows);
}

/** Runs a DELETE that removes at most PRUNE_BATCH_ROWS rows a statement again until it removes
 * fewer (nothing older is left) or `maxRows` are gone; returns how many went. */
async function deleteInSlices(statement: D1PreparedStatement, maxRows: number): Promise<number> {
  let deleted = 0;
  while (deleted < maxRows) {
    const changes = (await statement.run()).meta.changes ?? 0;
    deleted += changes;
    if (changes < PRUNE_BATCH_ROWS) break;
  }
  return deleted;
}

const FOLD_EXCLUDED = `
INSERT INTO excluded_daily (site, day, reason, events)
SELECT ?1, ?4, reason, count(*) FROM (
  SELECT reason FROM excluded_events WHERE site = ?1 AND ts >= ?2 AND ts < ?3 ORDER BY ts, id LIMIT ${PRUNE_BATCH_ROWS})
GROUP BY reason
ON CONFLICT (site, day, reason) DO UPDATE SET events = excluded_daily.events + excluded.events`;
const DELETE_EXCLUDED = `
DELETE FROM excluded_events WHERE site = ?1 AND id IN (
  SELECT id FROM excluded_events WHERE site = ?1 AND ts >= ?2 AND ts < ?3 ORDER BY ts, id LIMIT ${PRUNE_BATCH_ROWS})`;

/** Excluded events of whole local days before `before`'s day: each chunk is counted into
 * excluded_daily and deleted in one D1 batch (one transaction, the same rows), so an event is
 * counted in exactly one of the two tables the report adds up. */
export async function pruneExcludedEvents(db: D1Database, site: string, before: number, timeZone: string, maxRows = 20 * PRUNE_BATCH_ROWS): Promise<number> {
  const cutoff = localDayStart(localClock(before, timeZone).day, timeZone);
  let deleted = 0;
  while (deleted < maxRows) {
    const oldest = await db.prepare('SELECT ts FROM excluded_events WHERE site = ?1 AND ts < ?2 ORDER BY ts LIMIT 1').bind(site, cutoff).first<{ ts: number }>();
    if (!oldest) break;
    const day = localClock(oldest.ts, timeZone).day;
    const [from, to] = [localDayStart(day, timeZone), Math.min(localDayStart(day + 1, timeZone), cutoff)];
    const [, removed] = await db.batch([db.prepare(FOLD_EXCLUDED).bind(site, from, to, day), db.prepare(DELETE_EXCLUDED).bind(site, from, to)]);
    deleted += removed?.meta.changes ?? 0;
  }
  return deleted;
}

/** Per-browser state an anonymous browser leaves when it is forgotten; `profiles` goes last
 * (the others find the browser through it). Its report rows (report_visitors) and control-group
 * placement go too: their counts are in the daily rollups already, the hot window is never
 * shorter than an attribution window (so no credit can still reach them), and a browser that
 * comes back starts as a new prospect, decided and placed afresh (the placement is a hash of its
 * id: the same group, a new cohort day). */
const ANONYMOUS_STATE = ['product_views', 'cart_items', 'widget_stats', 'rec_visitor_items', 'rec_visitor_categories', 'report_visitors', 'control_group', 'profiles'] as const;

/** An anonymous browser (a ?2 JSON list of anon ids) is forgotten when the sessions being
 * deleted (?3) were its last, it never ordered, is no member and no member's browser, and was
 * last seen before ?4. */
const FORGOTTEN = `
SELECT 'a:' || g.value FROM json_each(?2) g
WHERE NOT EXISTS (SELECT 1 FROM visitor_sessions s WHERE s.site = ?1 AND s.anon_id = g.value AND s.session_id NOT IN (SELECT value FROM json_each(?3)))
  AND EXISTS (SELECT 1 FROM profiles p WHERE p.site = ?1 AND p.visitor_id = 'a:' || g.value AND p.orders = 0 AND p.is_member = 0 AND p.last_seen < ?4)
  AND NOT EXISTS (SELECT 1 FROM identity_links l WHERE l.site = ?1 AND l.anon_id = g.value)`;

const SESSIONS_PER_CHUNK = 200;

export interface SessionPrune {
  sessions: number;
  browsers_forgotten: number;
}

/** Sessions last seen before `before` (decide reads only the current session; events older than
 * the dedupe horizon are refused, so none can reopen one), and with its last session the state
 * of an anonymous browser that never ordered nor signed in: if it comes back, it starts as a new
 * prospect. Members and buyers are never touched. One D1 batch a chunk, so a crash leaves either
 * the whole chunk or none of it. */
export async function pruneSessions(db: D1Database, site: string, before: number, maxRows = 10 * SESSIONS_PER_CHUNK): Promise<SessionPrune> {
  const done: SessionPrune = { sessions: 0, browsers_forgotten: 0 };
  while (done.sessions < maxRows) {
    const { results } = await db
      .prepare(`SELECT session_id, anon_id FROM visitor_sessions WHERE site = ?1 AND started_at < ?2 AND last_seen < ?2 ORDER BY started_at LIMIT ${boundLimit('?3')}`)
      .bind(site, before, SESSIONS_PER_CHUNK)
      .all<{ session_id: string; anon_id: string }>();
    if (results.length === 0) break;
    const sessions = JSON.stringify(results.map((r) => r.session_id));
    const anons = JSON.stringify([...new Set(results.map((r) => r.anon_id))]);
    const outcome = await db.batch([
      ...ANONYMOUS_STATE.map((table) => db.prepare(`DELETE FROM ${table} WHERE site = ?1 AND visitor_id IN (${FORGOTTEN})`).bind(site, anons, sessions, before)),
      db.prepare('DELETE FROM visitor_sessions WHERE site = ?1 AND session_id IN (SELECT value FROM json_each(?2))').bind(site, sessions),
    ]);
    done.browsers_forgotten += outcome[ANONYMOUS_STATE.length - 1]?.meta.changes ?? 0;
    done.sessions += outcome[ANONYMOUS_STATE.length]?.meta.changes ?? 0;
    if (results.length < SESSIONS_PER_CHUNK) break;
  }
  return done;
}

/** Webhook deliveries the shop's endpoint took (`sent`) before `before`: their payloads (a
 * member's cart, coupon, order) need not outlive the hot window, and the delivery log is read for
 * what is recent or failed. Pending and failed deliveries stay until sent, replayed or erased; a
 * hand-off member whose delivery left reads as sent (edge/routes/admin-handoffs.ts). */
export async function pruneSentDeliveries(db: D1Database, site: string, before: number, maxRows = 20 * PRUNE_BATCH_ROWS): Promise<number> {
  const sql = `DELETE FROM webhook_deliveries WHERE site = ?1 AND id IN (
    SELECT id FROM webhook_deliveries INDEXED BY webhook_deliveries_sent WHERE site = ?1 AND state = 'sent' AND sent_at < ?2 ORDER BY sent_at LIMIT ${PRUNE_BATCH_ROWS})`;
  return deleteInSlices(db.prepare(sql).bind(site, before), maxRows);
}

/** Days of product activity older than trending reads (TRENDING_DAYS, edge/recs/trending.ts): the
 * shelf's trending list and personal picks rank the last week only. */
export async function pruneTrendingDays(db: D1Database, site: string, now: number, maxRows = 20 * PRUNE_BATCH_ROWS): Promise<number> {
  const sql = `DELETE FROM rec_item_days WHERE site = ?1 AND (day, item_id) IN (
    SELECT day, item_id FROM rec_item_days WHERE site = ?1 AND day < ?2 ORDER BY day LIMIT ${PRUNE_BATCH_ROWS})`;
  return deleteInSlices(db.prepare(sql).bind(site, firstTrendingDay(now)), maxRows);
}
