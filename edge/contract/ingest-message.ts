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
