import { boundLimit } from '../lib/sql-limit';
import type { Outcome } from './post-signed';

/** The webhook outbox (table webhook_deliveries): what waits to reach the shop, and its log.
 *
 * A message is stored before anything is sent, so none is lost between deciding to hand it off and
 * the shop taking it. Sending claims due deliveries with a lease (two runners never send one
 * delivery at the same time), at most one per shopper per claim and only a shopper's oldest
 * pending one, so a shopper's messages arrive in the order they were made even after the receiver
 * was down for hours. A receiver dedupes on the delivery id (`webhook-id`): delivery is at least
 * once, and the same id on every retry and replay. */

export interface NewDelivery {
  /** Stable for the message: enqueueing the same id twice stores it once. */
  id: string;
  topic: string;
  shopper: string;
  body: string;
  /** Advertising: held through the site's quiet hours when due. */
  advertising: boolean;
  /** Not before this time. */
  notBefore: number;
}

export interface ClaimedDelivery {
  id: string;
  topic: string;
  shopper: string;
  body: string;
  advertising: number;
  attempts: number;
  claim: string;
}

export interface DeliveryRow extends Omit<ClaimedDelivery, 'claim'> {
  seq: number;
  state: 'pending' | 'sent' | 'failed';
  next_at: number;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

const LEASE_MS = 60_000;
/** Waits before each retry: about three days in all, so a receiver down for a weekend still gets
 * everything once it is back; after the last, the delivery is 'failed' and can be replayed. */
export const RETRY_BACKOFF_MS = [30_000, 60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, 3_600_000, 2 * 3_600_000, 4 * 3_600_000, 8 * 3_600_000, 12 * 3_600_000, 24 * 3_600_000, 24 * 3_600_000];

/** Statements that store deliveries, for the caller to run in its own batch (atomic with what
 * made them). `onlyIf`: an SQL condition that must hold for a delivery to be stored (?1 is the
 * site, ?2 the delivery id, ?3 its topic, ?4 its shopper). */
export function enqueueStatements(db: D1Database, site: string, deliveries: readonly NewDelivery[], now: number, onlyIf = 'true'): D1PreparedStatement[] {
  return deliveries.map((d) =>
    db
      .prepare(
        `INSERT INTO webhook_deliveries (site, id, seq, topic, shopper, body, advertising, next_at, created_at)
         SELECT ?1, ?2, coalesce((SELECT max(seq) FROM webhook_deliveries WHERE site = ?1), 0) + 1, ?3, ?4, ?5, ?6, ?7, ?8
         WHERE ${onlyIf}
         ON CONFLICT (site, id) DO NOTHING`,
      )
      .bind(site, d.id, d.topic, d.shopper, d.body, d.advertising ? 1 : 0, Math.max(d.notBefore, now), now),
  );
}

const CLAIM = `
UPDATE webhook_deliveries SET claim = ?1, next_at = ?2 + ${LEASE_MS}
WHERE site = ?3 AND id IN (
  SELECT d.id FROM webhook_deliveries d
  WHERE d.site = ?3 AND d.state = 'pending' AND d.next_at <= ?2
    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                    WHERE e.site = d.site AND e.shopper = d.shopper AND e.state = 'pending' AND e.seq < d.seq)
  ORDER BY d.seq LIMIT ${boundLimit('?4')})
RETURNING id, topic, shopper, body, advertising, attempts, seq, claim`;

/** Claims due deliveries, oldest first, at most one per shopper. */
export async function claimDue(db: D1Database, site: string, now: number, limit: number): Promise<ClaimedDelivery[]> {
  const claim = crypto.randomUUID();
  const { results } = await db.prepare(CLAIM).bind(claim, now, site, limit).all<ClaimedDelivery & { seq: number }>();
  return results.sort((a, b) => a.seq - b.seq);
}

export function settleStatement(db: D1Database, site: string, delivery: ClaimedDelivery, outcome: Outcome, now: number): D1PreparedStatement {
  if (outcome.holdUntil !== undefined) {
    return db
      .prepare(`UPDATE webhook_deliveries SET next_at = ?1, claim = NULL WHERE site = ?2 AND id = ?3 AND claim = ?4`)
      .bind(outcome.holdUntil, site, delivery.id, delivery.claim);
  }
  const attempts = delivery.attempts + 1;
  const backoff = RETRY_BACKOFF_MS[attempts - 1];
  const state = outcome.ok ? 'sent' : backoff === undefined ? 'failed' : 'pending';
  const nextAt = outcome.ok || backoff === undefined ? now : now + backoff;
  return db
    .prepare(
      `UPDATE webhook_deliveries SET state = ?1, attempts = ?2, next_at = ?3, last_status = ?4, last_error = ?5,
         sent_at = CASE WHEN ?1 = 'sent' THEN ?6 ELSE sent_at END, claim = NULL
       WHERE site = ?7 AND id = ?8 AND claim = ?9`,
    )
    .bind(state, attempts, nextAt, outcome.status, outcome.ok ? null : (outcome.error ?? 'failed'), now, site, delivery.id, delivery.claim);
}

/** Sites with something due, for the cron. */
export async function sitesWithDueDeliveries(db: D1Database, now: number): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT DISTINCT site FROM webhook_deliveries WHERE state = 'pending' AND next_at <= ?1 LIMIT 100`)
    .bind(now)
    .all<{ site: string }>();
  return results.map((r) => r.site);
}

export interface LogQuery {
  state?: 'pending' | 'sent' | 'failed' | undefined;
  topic?: string | undefined;
  /** Page backwards from this seq (exclusive). */
  before?: number | undefined;
  limit: number;
}

/** The delivery log, newest first. */
export async function listDeliveries(db: D1Database, site: string, q: LogQuery): Promise<DeliveryRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, seq, topic, shopper, body, advertising, state, attempts, next_at, last_status, last_error, created_at, sent_at
       FROM webhook_deliveries
       WHERE site = ?1 AND (?2 IS NULL OR state = ?2) AND (?3 IS NULL OR topic = ?3) AND (?4 IS NULL OR seq < ?4)
       ORDER BY seq DESC LIMIT ${boundLimit('?5')}`,
    )
    .bind(site, q.state ?? null, q.topic ?? null, q.before ?? null, q.limit)
    .all<DeliveryRow>();
  return results;
}

/** Puts deliveries back in line to be sent again now, keeping their ids (receivers dedupe on them).
 * `ids` null: every failed delivery of the site. Returns how many were put back. */
export async function replayDeliveries(db: D1Database, site: string, ids: readonly string[] | null, now: number): Promise<number> {
  const result = ids
    ? await db
        .prepare(
          `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_at = ?1, claim = NULL
           WHERE site = ?2 AND id IN (SELECT value FROM json_each(?3)) AND state != 'pending'`,
        )
        .bind(now, site, JSON.stringify(ids))
        .run()
    : await db
        .prepare(`UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_at = ?1, claim = NULL WHERE site = ?2 AND state = 'failed'`)
        .bind(now, site)
        .run();
  return result.meta.changes;
}
