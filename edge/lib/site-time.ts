/** A site's wall clock: report days, "per day" caps and quiet hours start at the shop's local
 * midnight, not UTC's. Offsets come from the runtime's time-zone database (Intl), so zones with
 * daylight saving move their days with it. */
import { DAY_MS, HOUR_MS, MINUTE_MS } from './time';

export const DEFAULT_TIMEZONE = 'Asia/Seoul';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Is this an IANA time zone the runtime knows (`Asia/Seoul`, `UTC`, `America/New_York`)? */
export function isTimeZone(value: string): boolean {
  try {
    formatter(value);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant `ts`, in ms (Seoul: +9 h), asked of the time-zone
 * database itself: `formatToParts` is the costliest call of a decision (about 5% of its CPU). */
export function zoneOffsetMs(ts: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ts))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(ts / 1000) * 1000;
}

/** Since 1972 every zone's offset is whole minutes and changes on a whole UTC minute (old local
 * mean times had seconds), so an offset holds for its whole minute: one decision asks for the
 * same instant several times, and every request of a day for that day's midnight. */
const WHOLE_MINUTE_OFFSETS_SINCE = Date.UTC(1972, 0, 1);
const OFFSET_CACHE_MAX = 4096;
const offsets = new Map<string, number>();

/** zoneOffsetMs, kept per zone and UTC minute in this isolate. */
export function utcOffsetMs(ts: number, timeZone: string): number {
  if (!(ts >= WHOLE_MINUTE_OFFSETS_SINCE)) return zoneOffsetMs(ts, timeZone);
  const minute = Math.floor(ts / MINUTE_MS);
  const key = `${minute} ${timeZone}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = zoneOffsetMs(minute * MINUTE_MS, timeZone);
    if (offsets.size >= OFFSET_CACHE_MAX) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

export interface LocalClock {
  /** Local calendar days since 1970-01-01 (the same numbering as UTC days, shifted to local midnight). */
  day: number;
  hour: number;
  minute: number;
}

export function localClock(ts: number, timeZone: string): LocalClock {
  const local = ts + utcOffsetMs(ts, timeZone);
  const day = Math.floor(local / DAY_MS);
  const intoDay = local - day * DAY_MS;
  return { day, hour: Math.floor(intoDay / HOUR_MS), minute: Math.floor((intoDay % HOUR_MS) / MINUTE_MS) };
}

/** The UTC instant at which local day `day` starts (its local midnight). */
export function localDayStart(day: number, timeZone: string): number {
  const guess = day * DAY_MS;
  // Two passes settle the offset even when midnight is near a daylight-saving change.
  const first = guess - utcOffsetMs(guess, timeZone);
  return guess - utcOffsetMs(first, timeZone);
}

/** `YYYY-MM-DD` of a local day number. */
export const dayString = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Is `ts` within quiet hours [from, to) of the site's clock (a span that may wrap midnight)? */
export function inQuietHours(ts: number, timeZone: string, fromHour: number, toHour: number): boolean {
  const { hour } = localClock(ts, timeZone);
  return fromHour <= toHour ? hour >= fromHour && hour < toHour : hour >= fromHour || hour < toHour;
}

/** The first instant at or after `ts` outside quiet hours ending at local `toHour`. */
export function afterQuietHours(ts: number, timeZone: string, fromHour: number, toHour: number): number {
  if (!inQuietHours(ts, timeZone, fromHour, toHour)) return ts;
  const { day, hour } = localClock(ts, timeZone);
  const endDay = hour >= toHour ? day + 1 : day;
  return localDayStart(endDay, timeZone) + toHour * HOUR_MS;
}
