import { COMMERCE_EVENTS, LIMITS, SERVER_ONLY_EVENTS, type BatchEnvelope } from '../contract';
import { unsafeJsonReason } from '../contract/json-safety';
import { describeIssues } from '../lib/zod-issues';
import type { AcceptedEvent } from '../contract/accepted-event';
import { parseOrRepair, type Repair } from './repair-event';

export interface Rejection {
  index: number;
  reason: string;
}

/** Validates each event of a batch on its own (repairing props the product can do without, see
 * repair-event.ts), corrects its clock (the client's offset between `ts` and `sent_at` is kept and
 * re-anchored on the server's receive time), and gives e-commerce events without a currency the
 * site's own. */
export function acceptEvents(
  batch: BatchEnvelope,
  receivedAt: number,
  siteCurrency: string,
  /** From the shop's server (site token): may send SERVER_ONLY_EVENTS, and those need a member. */
  fromServer = false,
): { accepted: AcceptedEvent[]; rejected: Rejection[]; userHashes: (string | undefined)[]; repairs: Repair[] } {
  const accepted: AcceptedEvent[] = [];
  const rejected: Rejection[] = [];
  const repairs: Repair[] = [];
  /** Each accepted event's user_hash (kept apart: it is checked, never stored). */
  const userHashes: (string | undefined)[] = [];
  batch.events.forEach((raw, index) => {
    const unsafe = unsafeJsonReason(raw, LIMITS.jsonDepth);
    if (unsafe) return rejected.push({ index, reason: unsafe });
    const parsed = parseOrRepair(raw);
    if ('error' in parsed) return rejected.push({ index, reason: describeIssues(parsed.error) });
    const { event } = parsed;
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
    repairs.push(...parsed.repairs);
    if (COMMERCE_EVENTS.has(event.name) && event.props.currency === undefined) event.props.currency = siteCurrency;
    userHashes.push(event.user_hash);
    accepted.push({
      id: event.id,
      name: event.name,
      ts: receivedAt - age,
      client_ts: event.ts,
      anon_id: event.anon_id,
      user_id: event.user_id ?? null,
      session_id: event.session_id,
      seq: event.seq ?? null,
      url: event.url,
      props: JSON.stringify(event.props),
    });
  });
  return { accepted, rejected, userHashes, repairs };
}
