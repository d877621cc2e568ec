import { IngestMessage, type IngestMessageT } from '../contract';
import { boundLimit } from '../lib/sql-limit';
import { describeIssues } from '../lib/zod-issues';

/** Queue mode's parking place (table dead_letters, migration 0018): messages the consumer could
 * not store, with why, listed and replayed by the admin API. */

export interface ParkedMessage {
  message_id: string;
  site: string | null;
  reason: string;
  /** The body as delivered, as JSON text. */
  body: string;
  attempts: number;
  received_at: number;
}

export interface DeadLetterRow extends ParkedMessage {
  id: number;
  parked_at: number;
}

/** The message as JSON text, whatever it holds (a v8-typed body may not be JSON at all). */
export function bodyText(body: unknown): string {
  try {
    return JSON.stringify(body) ?? String(body);
  } catch {
    return String(body);
  }
}

/** The site a message names, when its body is readable that far. */
export function siteOf(body: unknown): string | null {
  const site = body !== null && typeof body === 'object' ? (body as { site?: unknown }).site : undefined;
  return typeof site === 'string' && site.length > 0 && site.length <= 200 ? site : null;
}

/** Reads a message body as an ingest message, or says what is wrong with it. */
export function readIngestMessage(body: unknown): { message: IngestMessageT } | { reason: string } {
  const parsed = IngestMessage.safeParse(body);
  return parsed.success ? { message: parsed.data } : { reason: `malformed_message: ${describeIssues(parsed.error)}` };
}

/** Parks a message; parking the same message id again changes nothing. */
export async function parkMessage(db: D1Database, parked: ParkedMessage, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO dead_letters (message_id, site, reason, body, attempts, received_at, parked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT (message_id) DO NOTHING`,
    )
    .bind(parked.message_id, parked.site, parked.reason, parked.body, parked.attempts, parked.received_at, now)
    .run();
}

/** `site` null: the messages parked with no registered site (in the shared database). */
export async function countDeadLetters(db: D1Database, site: string | null): Promise<number> {
  return (await db.prepare('SELECT count(*) AS n FROM dead_letters WHERE site IS ?1').bind(site).first<{ n: number }>())?.n ?? 0;
}

/** A site's parked messages (or, `site` null, those of no registered site), oldest first, from after `afterId`. */
export async function listDeadLetters(db: D1Database, site: string | null, limit: number, afterId = 0): Promise<DeadLetterRow[]> {
  const { results } = await db
    .prepare(`SELECT id, message_id, site, reason, body, attempts, received_at, parked_at FROM dead_letters WHERE site IS ?1 AND id > ?2 ORDER BY id LIMIT ${boundLimit('?3')}`)
    .bind(site, afterId, limit)
    .all<DeadLetterRow>();
  return results;
}

export async function removeDeadLetter(db: D1Database, id: number): Promise<void> {
  await db.prepare('DELETE FROM dead_letters WHERE id = ?1').bind(id).run();
}

/** Discards one parked message of `site` (null: of no registered site) without storing it: a
 * body no replay can read. Returns whether there was one. */
export async function discardDeadLetter(db: D1Database, site: string | null, id: number): Promise<boolean> {
  const { meta } = await db.prepare('DELETE FROM dead_letters WHERE id = ?1 AND site IS ?2').bind(id, site).run();
  return meta.changes > 0;
}
