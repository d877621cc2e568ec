/** The one narrow write path of the collector. D1 implements it today; a Cloudflare Queue
 * producer (collect enqueues, a consumer calls the D1 writer) or a database per site can
 * implement it without touching the SDK, the routes or the decision code. */
export interface AcceptedEvent {
  id: string;
  name: string;
  /** Server-corrected time (ms). */
  ts: number;
  client_ts: number;
  anon_id: string;
  user_id: string | null;
  session_id: string;
  /** The browser's event count (SDK `seq`), null from clients that send none. */
  seq: number | null;
  url: string;
  /** JSON text of the event's props. */
  props: string;
}

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
