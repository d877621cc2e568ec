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

/** Each event's JSON, made once: the writer's INSERT and every pipeline statement that reads the
 * event send it (accepted events are never changed after the collector makes them). */
const json = new WeakMap<AcceptedEvent, string>();

/** `events` as a JSON array, each element as JSON.stringify makes it. */
export function acceptedEventsJson(events: readonly AcceptedEvent[]): string {
  let out = '[';
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    let text = json.get(event);
    if (text === undefined) json.set(event, (text = JSON.stringify(event)));
    out += i === 0 ? text : `,${text}`;
  }
  return `${out}]`;
}
