import type { D1Reader } from '../lib/d1-reader';
import { TtlCache, type Defer } from '../lib/ttl-cache';
import { DAY_MS } from '../lib/time';

/** How many days of activity count as "recent" for trending and for ranking personal picks. */
export const TRENDING_DAYS = 7;
/** How many of a site's most active products a shelf may draw from: more than any shelf shows
 * (24) plus what one shopper has in the cart or has bought among them. */
export const TRENDING_TOP = 100;
/** How long an isolate keeps a site's trending list. Ranking every product's week of activity
 * on each shelf read cost tens of milliseconds in a catalogue of thousands; a list a minute old
 * ranks as well. */
export const TRENDING_CACHE_MS = 60_000;

/** A site's most active products of the last TRENDING_DAYS, best first: [item_id, score]. */
export type TrendingList = readonly (readonly [string, number])[];

/** Score of one item-day: a purchase says more than an add to cart, which says more than a view. */
const READ_TRENDING = `SELECT item_id, sum(views + 3 * carts + 5 * purchases) AS score FROM rec_item_days
WHERE site = ?1 AND day >= ?2 GROUP BY item_id ORDER BY score DESC, item_id LIMIT ${TRENDING_TOP}`;

/** The first day (days since the epoch) that counts as recent at `now`. */
export const firstTrendingDay = (now: number) => Math.floor(now / DAY_MS) - TRENDING_DAYS + 1;

const cache = new TtlCache<TrendingList>(TRENDING_CACHE_MS);

async function readTrending(db: D1Reader, site: string, now: number): Promise<TrendingList> {
  const { results } = await db.prepare(READ_TRENDING).bind(site, firstTrendingDay(now)).all<{ item_id: string; score: number }>();
  return results.map((r) => [r.item_id, r.score] as const);
}

/** The site's trending list, from this isolate's cache when younger than TRENDING_CACHE_MS
 * (with `defer`, a request's waitUntil, up to twice that while a refresh runs). */
export function siteTrending(db: D1Reader, site: string, now: number, defer?: Defer): Promise<TrendingList> {
  return cache.get(site, () => readTrending(db, site, now), now, defer);
}
