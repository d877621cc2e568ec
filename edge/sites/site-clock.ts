import { TtlCache } from '../lib/ttl-cache';
import { DEFAULT_TIMEZONE, utcOffsetMs } from '../lib/site-time';
import { SITE_CACHE_MS } from './site-registry';

/** The site's time zone, mirrored in its D1 database (`site_clocks`) so ingest, which reads D1
 * only, finds the shop's local day; with the zone's current UTC offset for SQL that reads it. */

/** Per isolate, as long as site settings are trusted (site-registry): every pipeline round needs the
 * zone, and reading it was a D1 round trip of its own per round. */
const timezones = new TtlCache<string | null>(SITE_CACHE_MS);

/** Writes the site's zone (on every settings change). */
export async function writeSiteClock(db: D1Database, site: string, timezone: string): Promise<void> {
  await db
    .prepare('INSERT INTO site_clocks (site, timezone, offset_ms) VALUES (?1, ?2, ?3) ON CONFLICT (site) DO UPDATE SET timezone = excluded.timezone, offset_ms = excluded.offset_ms')
    .bind(site, timezone, utcOffsetMs(Date.now(), timezone))
    .run();
  timezones.delete(site);
}

/** The site's offset from UTC at `now` (the default zone's when the site has none, or an unknown one). */
export async function siteOffsetMs(db: D1Database, site: string, now: number): Promise<number> {
  const timezone = await timezones.get(site, async () => {
    const row = await db.prepare('SELECT timezone FROM site_clocks WHERE site = ?1').bind(site).first<{ timezone: string }>();
    return row?.timezone ?? null;
  });
  try {
    return utcOffsetMs(now, timezone ?? DEFAULT_TIMEZONE);
  } catch {
    return utcOffsetMs(now, DEFAULT_TIMEZONE);
  }
}
