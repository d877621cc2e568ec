import { z } from 'zod';
import { LIMITS } from './limits';
import { EpochMs, SiteId } from './primitives';

/** The envelope of POST /v1/collect. Events are validated one by one afterwards, so one bad
 * event is named and skipped rather than failing its whole batch. */
export const Batch = z.object({
  site: SiteId,
  sent_at: EpochMs,
  events: z
    .array(z.unknown())
    .min(1, 'must hold at least one event')
    .max(LIMITS.eventsPerBatch, `must hold at most ${LIMITS.eventsPerBatch} events; split the batch`),
});

export type BatchEnvelope = z.infer<typeof Batch>;

export const CollectResponse = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), reason: z.string() })),
  /** Events stored without their user_id: the site checks identities and the user_hash was missing or wrong. */
  unverified_user_ids: z.number().int().optional(),
  /** Events kept out of profiles and reports (bots, automated browsers, staff, test browsers), counted in the report. */
  excluded: z.number().int().optional(),
});
export type CollectResult = z.infer<typeof CollectResponse>;

export type ApiError = { error: { code: string; message: string } };
