import type { AcceptedEvent, IngestMessageT } from '../contract';

/** Cloudflare Queues' limits (enforced by `wrangler dev` and the vitest plugin too), less a margin
 * for the envelope each message carries on the wire. */
export const QUEUE_LIMITS = {
  messagesPerBatch: 100,
  bytesPerBatch: 288_000 - 8_000,
  bytesPerMessage: 128_000 - 4_000,
} as const;

const encoder = new TextEncoder();
const bytesOf = (json: string) => encoder.encode(json).byteLength;

/** Splits one request's accepted events into messages under the per-message limit. Only an event
 * that alone exceeds it could break that, and the collector's own limits (64 KB body) rule it out. */
export function ingestMessages(site: string, events: readonly AcceptedEvent[], receivedAt: number, maxBytes: number = QUEUE_LIMITS.bytesPerMessage): { body: IngestMessageT; bytes: number }[] {
  const envelope = (list: AcceptedEvent[]): IngestMessageT => ({ v: 1, site, received_at: receivedAt, events: list });
  const baseBytes = bytesOf(JSON.stringify(envelope([])));
  const messages: { body: IngestMessageT; bytes: number }[] = [];
  let current: AcceptedEvent[] = [];
  let bytes = baseBytes;
  for (const event of events) {
    const size = bytesOf(JSON.stringify(event)) + 1;
    if (current.length > 0 && bytes + size > maxBytes) {
      messages.push({ body: envelope(current), bytes });
      current = [];
      bytes = baseBytes;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) messages.push({ body: envelope(current), bytes });
  return messages;
}

/** Sends a request's accepted events to the ingest queue; resolves once every message is on the
 * queue, so collect answers 202 only then. If a send fails midway the caller answers 503 and the
 * SDK sends the whole batch again: what already went through is stored once by event id. */
export async function enqueueEvents(queue: Queue, site: string, events: readonly AcceptedEvent[], receivedAt: number): Promise<number> {
  const messages = ingestMessages(site, events, receivedAt);
  let chunk: MessageSendRequest[] = [];
  let chunkBytes = 0;
  for (const { body, bytes } of messages) {
    if (chunk.length === QUEUE_LIMITS.messagesPerBatch || (chunk.length > 0 && chunkBytes + bytes > QUEUE_LIMITS.bytesPerBatch)) {
      await queue.sendBatch(chunk);
      chunk = [];
      chunkBytes = 0;
    }
    chunk.push({ body, contentType: 'json' });
    chunkBytes += bytes;
  }
  if (chunk.length > 0) await queue.sendBatch(chunk);
  return messages.length;
}
