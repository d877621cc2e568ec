/** The one narrow write path of the collector. D1 implements it today; a Cloudflare Queue
 * producer (collect enqueues, a consumer calls the D1 writer) or a database per site can
 * implement it without touching the SDK, the routes or the decision code. */
import type { AcceptedEvent } from '../contract/accepted-event';

export type { AcceptedEvent };

export interface AppendResult {
  inserted: number;
  duplicates: number;
}

/** What a write may keep running after the response: Workers' ExecutionContext satisfies it. */
export interface KeepAlive {
  waitUntil(promise: Promise<unknown>): void;
}

export interface EventWriter {
  /** Resolves once the new events are durable; events already stored are counted, not rewritten.
   * Applying them to profiles and rollups happens afterwards, kept alive by `keepAlive`. */
  append(site: string, events: readonly AcceptedEvent[], receivedAt: number, keepAlive: KeepAlive): Promise<AppendResult>;
}
