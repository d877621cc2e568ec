import { Event, LIMITS, SERVER_ONLY_EVENTS, type BatchEnvelope } from '../contract';
import { unsafeJsonReason } from '../contract/json-safety';
import { describeIssues } from '../lib/zod-issues';
import type { AcceptedEvent } from '../store/event-writer';

export interface Rejection {
  index: number;
  reason: string;
}

/** Validates each event of a batch on its own and corrects its clock: the client's offset
 * between `ts` and `sent_at` is kept and re-anchored on the server's receive time. */
export function acceptEvents(
  batch: BatchEnvelope,
  receivedAt: number,
  /** From the shop's server (site token): may send SERVER_ONLY_EVENTS, and those need a member. */
  fromServer = false,
): { accepted: AcceptedEvent[]; rejected: Rejection[]; userHashes: (string | undefined)[] } {
  const accepted: AcceptedEvent[] = [];
  const rejected: Rejection[] = [];
  /** Each accepted event's user_hash (kept apart: it is checked, never stored). */
  const userHashes: (string | undefined)[] = [];
  batch.events.forEach((raw, index) => {
    const unsafe = unsafeJsonReason(raw, LIMITS.jsonDepth);
    if (unsafe) return rejected.push({ index, reason: unsafe });
    const parsed = Event.safeParse(raw);
    if (!parsed.success) return rejected.push({ index, reason: describeIssues(parsed.error) });
    const event = parsed.data;
    if (SERVER_ONLY_EVENTS.includes(event.name)) {
      if (!fromServer) return rejected.push({ index, reason: `name: ${event.name} is accepted only from the shop's server (POST /v1/admin/sites/:site/events)` });
      if (!event.user_id) return rejected.push({ index, reason: `user_id: is required for ${event.name} (it describes a member)` });
    }
    const age = batch.sent_at - event.ts;
    if (age > LIMITS.maxEventAgeMs) {
      return rejected.push({ index, reason: `ts: the event is more than ${LIMITS.maxEventAgeMs / 86_400_000} days older than sent_at` });
    }
    if (age < -LIMITS.maxEventLeadMs) {
      return rejected.push({ index, reason: 'ts: the event is later than sent_at; both must come from the same clock' });
    }
    userHashes.push(event.user_hash);
    accepted.push({
      id: event.id,
      name: event.name,
      ts: receivedAt - age,
      client_ts: event.ts,
      anon_id: event.anon_id,
      user_id: event.user_id ?? null,
      session_id: event.session_id,
      url: event.url,
      props: JSON.stringify(event.props),
    });
  });
  return { accepted, rejected, userHashes };
}
