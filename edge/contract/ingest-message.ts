import { z } from 'zod';
import type { AcceptedEvent } from './accepted-event';

/** One accepted event as it travels through the ingest queue: exactly the fields the writer stores. */
const QueuedEvent = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  ts: z.number().int(),
  client_ts: z.number().int(),
  anon_id: z.string().min(1),
  user_id: z.string().nullable(),
  session_id: z.string(),
  seq: z.number().int().nullable(),
  url: z.string(),
  props: z.string(),
}) satisfies z.ZodType<AcceptedEvent>;

/** A message on the ingest queue (queue mode, README "Ingest through Cloudflare Queues"): events a
 * collect request accepted for one site, already validated, filtered and clock-corrected there. `v`
 * lets a consumer tell a message of another shape from a malformed one. */
export const IngestMessage = z.object({
  v: z.literal(1),
  site: z.string().min(1),
  /** When collect received the request (ms). */
  received_at: z.number().int(),
  events: z.array(QueuedEvent).min(1),
});
export type IngestMessageT = z.infer<typeof IngestMessage>;

/** GET /v1/admin/sites/:site/dead-letters: a site's parked queue messages, oldest first, a page of 100. */
export const DeadLetterEntry = z.object({
  id: z.number().int(),
  message_id: z.string(),
  /** Why it was parked: a malformed body, or the error its last delivery met. */
  reason: z.string(),
  /** Events the body holds (null when it is not a readable message). */
  events: z.number().int().nullable(),
  body_bytes: z.number().int(),
  attempts: z.number().int(),
  received_at: z.number().int(),
  parked_at: z.number().int(),
});
export const DeadLetters = z.object({
  /** Null on the operator's list of messages that name no registered site (GET /v1/admin/dead-letters). */
  site: z.string().nullable(),
  ingest_mode: z.enum(['direct', 'queue']),
  count: z.number().int(),
  dead_letters: z.array(DeadLetterEntry),
  /** Paging: pass as `after` for the next page; null on the last. */
  next_after: z.number().int().nullable(),
});
export type DeadLettersT = z.infer<typeof DeadLetters>;

/** POST /v1/admin/sites/:site/dead-letters/replay. */
export const DeadLetterReplay = z.object({
  site: z.string(),
  /** Parked messages stored and removed. */
  replayed: z.number().int(),
  /** Events they held that were new to storage, and those already stored (counted, not rewritten). */
  events_stored: z.number().int(),
  events_duplicate: z.number().int(),
  /** Messages that stay parked, with why (a malformed body stays malformed). */
  still_parked: z.array(z.object({ id: z.number().int(), reason: z.string() })),
  remaining: z.number().int(),
});
export type DeadLetterReplayT = z.infer<typeof DeadLetterReplay>;

/** DELETE …/dead-letters/:id: one parked message dropped without being stored. */
export const DeadLetterDiscard = z.object({ site: z.string().nullable(), discarded: z.number().int(), remaining: z.number().int() });
export type DeadLetterDiscardT = z.infer<typeof DeadLetterDiscard>;
