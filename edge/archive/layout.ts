import type { AcceptedEvent } from '../contract/accepted-event';
import { DAY_MS } from '../lib/time';

/** The archive's key layout (README, "The event archive"):
 *
 *   events/v1/site=<site>/day=<YYYY-MM-DD>/part-<NNNN>.ndjson.gz
 *
 * `day` is the UTC day the collector received the events (an event's own time, `ts`, is inside:
 * a late event sits in the day it arrived, so a finished day never changes). Each object is gzip
 * NDJSON, one event a line, with every field the collector accepted; parts of a day hold
 * consecutive runs of the day's events in arrival order, up to PART_EVENTS each. The `key=value`
 * folders are Hive-style, so DuckDB's `read_json_auto('…/*.ndjson.gz', hive_partitioning = true)`
 * adds `site` and `day` as columns. */
export const ARCHIVE_PREFIX = 'events/v1';

/** Events one archive object holds at most: a day of 500,000 events is five objects. */
export const PART_EVENTS = 100_000;

export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const dayStartMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
export const dayEndMs = (day: string): number => dayStartMs(day) + DAY_MS;

export const siteArchivePrefix = (site: string) => `${ARCHIVE_PREFIX}/site=${site}/`;
export const partKey = (site: string, day: string, part: number) =>
  `${siteArchivePrefix(site)}day=${day}/part-${String(part).padStart(4, '0')}.ndjson.gz`;

/** One stored event as the events table holds it. */
export interface StoredEventRow extends AcceptedEvent {
  received_at: number;
}

/** One archive line: the event as accepted, props as JSON (not as text). */
export function archiveLine(row: StoredEventRow): string {
  let props: unknown;
  try {
    props = JSON.parse(row.props);
  } catch {
    props = row.props;
  }
  return `${JSON.stringify({
    id: row.id,
    name: row.name,
    ts: row.ts,
    client_ts: row.client_ts,
    received_at: row.received_at,
    anon_id: row.anon_id,
    user_id: row.user_id,
    session_id: row.session_id,
    seq: row.seq,
    url: row.url,
    props,
  })}\n`;
}
