import { isHttpUrl, type ProductCardT, type RecommendationSourceT, type RecommendationStrategyT } from '../contract';
import type { D1Reader } from '../lib/d1-reader';
import { SHOPPER_CTES } from '../identity/person';

/** Each strategy falls back along its chain until the list is full; the catalogue closes every
 * chain, so a shop with a catalogue never gets an empty answer. */
export const FALLBACK_CHAINS: Record<RecommendationStrategyT, readonly RecommendationSourceT[]> = {
  viewed_together: ['viewed_together', 'bought_together', 'personal', 'trending', 'catalog'],
  bought_together: ['bought_together', 'viewed_together', 'personal', 'trending', 'catalog'],
  trending: ['trending', 'catalog'],
  recently_viewed: ['recently_viewed', 'personal', 'trending', 'catalog'],
  personal: ['personal', 'trending', 'catalog'],
};

const DAY_MS = 86_400_000;
/** How many days of activity count as "recent" for trending and for ranking personal picks. */
export const TRENDING_DAYS = 7;
/** Score of one item-day: a purchase says more than an add to cart, which says more than a view. */
const SCORE = 'views + 3 * carts + 5 * purchases';

export interface RecommendInput {
  site: string;
  /** This browser's anonymous id, when it has one. */
  anonId?: string;
  /** Member ids this browser has proven (a verified user id); linked ones are found in SQL. */
  userIds: readonly string[];
  productId?: string;
  cart: readonly string[];
  strategy: RecommendationStrategyT;
  limit: number;
  now?: number;
}

export interface Recommendation {
  items: ProductCardT[];
  sources: RecommendationSourceT[];
}

/** The shopper's visitor ids, as a set to read their aggregates by (SHOPPER_CTES). */
const VISITORS = `(SELECT id FROM shopper)`;

/** Each source ranks candidate item ids (`item_id`, `rank`); the shelf query then keeps those in
 * the catalogue, available, named, and not excluded. Parameters: ?1 site, ?2 anon id, ?3 member
 * ids (JSON; see SHOPPER_CTES), ?4 first trending day, ?5 excluded ids (JSON: the cart and the
 * page's product), ?6 seeds (JSON: the page's product, or empty for the visitor's three latest
 * views), ?7 how many. */
const RANKED: Record<RecommendationSourceT, string> = {
  recently_viewed: `SELECT item_id, row_number() OVER (ORDER BY max(last_viewed_at) DESC) AS rank
    FROM rec_visitor_items WHERE site = ?1 AND visitor_id IN ${VISITORS} AND views > 0 GROUP BY item_id`,
  viewed_together: pairs('view'),
  bought_together: pairs('buy'),
  trending: `SELECT item_id, row_number() OVER (ORDER BY sum(${SCORE}) DESC, item_id) AS rank
    FROM rec_item_days WHERE site = ?1 AND day >= ?4 GROUP BY item_id`,
  // Items of the visitor's three favourite categories, favourite first, each ranked by recent activity.
  personal: `WITH cats AS (
      SELECT category, sum(weight) AS w FROM rec_visitor_categories
      WHERE site = ?1 AND visitor_id IN ${VISITORS} GROUP BY category ORDER BY w DESC LIMIT 3)
    SELECT c.item_id, row_number() OVER (ORDER BY cats.w DESC,
        coalesce((SELECT sum(${SCORE}) FROM rec_item_days d WHERE d.site = ?1 AND d.item_id = c.item_id AND d.day >= ?4), 0) DESC,
        c.updated_at DESC) AS rank
    FROM cats JOIN catalog c ON c.site = ?1 AND c.category = cats.category
    WHERE c.available = 1 AND c.name IS NOT NULL`,
  catalog: `SELECT item_id, row_number() OVER (ORDER BY updated_at DESC) AS rank
    FROM catalog WHERE site = ?1 AND available = 1 AND name IS NOT NULL`,
};

/** Viewed/bought together seed on the page's product, else on what the visitor looked at last. */
function pairs(kind: 'view' | 'buy'): string {
  return `WITH seeds (item_id) AS (
      SELECT value FROM json_each(?6)
      UNION ALL SELECT item_id FROM (
        SELECT item_id FROM rec_visitor_items WHERE site = ?1 AND visitor_id IN ${VISITORS} AND views > 0 AND json_array_length(?6) = 0
        GROUP BY item_id ORDER BY max(last_viewed_at) DESC LIMIT 3))
    SELECT other_id AS item_id, row_number() OVER (ORDER BY sum(weight) DESC, other_id) AS rank
    FROM rec_pairs WHERE site = ?1 AND kind = '${kind}' AND item_id IN (SELECT item_id FROM seeds) GROUP BY other_id`;
}

/** A chain's best candidates as product cards, each source's own (`src`, its place in the chain)
 * up to ?7: never what the shopper is looking at, has in the cart or has bought (under any of
 * their visitor ids). One statement for the whole chain: the shopper's ids and exclusions are
 * worked out once, and D1 pays one statement's overhead. */
const shelfOf = (chain: readonly RecommendationSourceT[]) => `
WITH ${SHOPPER_CTES},
  ${chain.map((source, i) => `s${i} AS (${RANKED[source]})`).join(',\n  ')},
  ranked (src, item_id, rank) AS (${chain.map((_, i) => `SELECT ${i}, item_id, rank FROM s${i}`).join(' UNION ALL ')}),
  unwanted (item_id) AS MATERIALIZED (
    SELECT value FROM json_each(?5)
    UNION SELECT item_id FROM rec_visitor_items WHERE site = ?1 AND visitor_id IN ${VISITORS} AND (cart_qty > 0 OR purchased_at IS NOT NULL)),
  shelf AS (
    SELECT r.src, c.item_id, c.name, c.price, c.currency, c.image_url, c.url, row_number() OVER (PARTITION BY r.src ORDER BY r.rank) AS n
    FROM ranked r JOIN catalog c ON c.site = ?1 AND c.item_id = r.item_id
    WHERE c.available = 1 AND c.name IS NOT NULL AND c.item_id NOT IN (SELECT item_id FROM unwanted))
SELECT src, item_id, name, price, currency, image_url, url FROM shelf WHERE n <= ?7 ORDER BY src, n`;

/** Each strategy's shelf statement, built once. */
const SHELVES = Object.fromEntries(Object.entries(FALLBACK_CHAINS).map(([strategy, chain]) => [strategy, shelfOf(chain)])) as Record<RecommendationStrategyT, string>;

export interface CatalogRow {
  /** The source's place in the chain. */
  src: number;
  item_id: string;
  name: string;
  price: number | null;
  currency: string | null;
  image_url: string | null;
  url: string | null;
}

/** URLs are checked again on the way out: nothing but http(s) ever reaches a shop page. */
function card(row: CatalogRow): ProductCardT {
  const out: ProductCardT = { item_id: row.item_id, name: row.name };
  if (row.price !== null) out.price = row.price;
  if (row.currency) out.currency = row.currency;
  if (row.image_url && isHttpUrl(row.image_url)) out.image_url = row.image_url;
  if (row.url && isHttpUrl(row.url)) out.url = row.url;
  return out;
}

/** The read of one shelf: the strategy's whole fallback chain in one statement (alone, or beside
 * the decision's own reads). */
export function shelfStatement(db: D1Reader, input: RecommendInput): D1PreparedStatement {
  const since = Math.floor((input.now ?? Date.now()) / DAY_MS) - TRENDING_DAYS + 1;
  const excluded = JSON.stringify([...input.cart, ...(input.productId ? [input.productId] : [])]);
  const seeds = JSON.stringify(input.productId ? [input.productId] : []);
  // Enough from each source that the ones before it, which give at most `limit`, leave it `limit` new ones.
  const count = 2 * input.limit;
  return db.prepare(SHELVES[input.strategy]).bind(input.site, input.anonId ?? '', JSON.stringify(input.userIds), since, excluded, seeds, count);
}

/** Fills the shelf from the chain's rows (shelfStatement's results): each source with what the
 * ones before did not already give. */
export function shelfFrom(strategy: RecommendationStrategyT, limit: number, rows: readonly CatalogRow[]): Recommendation {
  const items: ProductCardT[] = [];
  const taken = new Set<string>();
  const sources: RecommendationSourceT[] = [];
  FALLBACK_CHAINS[strategy].forEach((source, i) => {
    const before = items.length;
    for (const row of rows.filter((r) => r.src === i)) {
      if (items.length >= limit) break;
      if (taken.has(row.item_id)) continue;
      taken.add(row.item_id);
      items.push(card(row));
    }
    if (items.length > before) sources.push(source);
  });
  return { items, sources };
}

export async function recommend(db: D1Reader, input: RecommendInput): Promise<Recommendation> {
  const { results } = await shelfStatement(db, input).all<CatalogRow>();
  return shelfFrom(input.strategy, input.limit, results);
}
