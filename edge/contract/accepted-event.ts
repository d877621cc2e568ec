/** An event as the collector accepted it: validated, its clock corrected, its props as JSON text.
 * This is what the writer stores, what the post-ingest pipeline is handed and what the archive
 * keeps; it sits in the contract so store, pipeline and ingest share it without importing each other. */
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
