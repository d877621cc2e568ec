import { Batch, LIMITS, type BatchEnvelope } from '../contract';
import { ApiError } from '../lib/api-error';
import { describeIssues } from '../lib/zod-issues';

const SHAPE_HINT = 'Send {"site", "sent_at", "events": [...]} as text/plain or application/json.';

/** Parses a collect body into a batch envelope, or throws the 400 that says what is wrong. */
export function readBatch(text: string): BatchEnvelope {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', `The body is not valid JSON. ${SHAPE_HINT}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_batch', `The body must be a JSON object. ${SHAPE_HINT}`);
  }
  const events = (body as { events?: unknown }).events;
  if (Array.isArray(events) && events.length > LIMITS.eventsPerBatch) {
    throw new ApiError(400, 'batch_too_large', `The batch holds ${events.length} events; at most ${LIMITS.eventsPerBatch} are taken at once. Split it.`);
  }
  const parsed = Batch.safeParse(body);
  if (!parsed.success) throw new ApiError(400, 'invalid_batch', `${describeIssues(parsed.error)}. ${SHAPE_HINT}`);
  return parsed.data;
}
