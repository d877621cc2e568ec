import { isHttpUrl, type ProductCardT, type RecommendationSourceT, type RecommendationStrategyT } from '../contract';
import type { D1Reader } from '../lib/d1-reader';
import { SHOPPER_CTES } from '../identity/person';
import { jsonRows } from '../lib/sql-json';
import { boundLimit } from '../lib/sql-limit';
import { firstTrendingDay, type TrendingList } from './trending';

/** Each strategy falls back along its chain until the list is full; the catalogue closes every
 * chain, so a shop with a catalogue never gets an empty answer. */
export const FALLBACK_CHAINS: Record<RecommendationStrategyT, readonly RecommendationSourceT[]> = {
  viewed_together: ['viewed_together', 'bought_together', 'personal', 'trending', 'catalog'],
  bought_together: ['bought_together', 'viewed_together', 'personal', 'trending', 'catalog'],
  trending: ['trending', 'catalog'],
  recently_viewed: ['recently_viewed', 'personal', 'trending', 'catalog'],
  personal: ['personal', 'trending', 'catalog'],
};


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
  /** The site's trending list (siteTrending). */
  trending: TrendingList;
}

export interface Recommendation {
  items: ProductCardT[];
  sources: RecommendationSourceT[];
}

/** The shopper's visitor ids, as a set to read their aggregates by (SHOPPER_CTES). */
const VISITORS = `(SELECT id FROM shopper)`;

/** Each source ranks candidate item ids (`item_id`, `rank`); the shelf query then keeps those in
 * the catalogue, available, named, and not excluded. Parameters: ?1 site, ?2 anon id, ?3 member
 * ids (JSON; see SHOPPER_CTES), ?4 the site's trending list (JSON [[item_id, score]], best
 * first), ?5 excluded ids (JSON: the cart and the page's product), ?6 seeds (JSON: the page's
 * product, or empty for the visitor's three latest views), ?7 how many. Every source reads a
 * bounded number of rows, whatever the size of the catalogue. */
const RANKED: Record<RecommendationSourceT, string> = {
  recently_viewed: `SELECT item_id, row_number() OVER (ORDER BY max(last_viewed_at) DESC) AS rank
    FROM rec_visitor_items WHERE site = ?1 AND visitor_id IN ${VISITORS} AND views > 0 GROUP BY item_id`,
  viewed_together: pairs('view'),
  bought_together: pairs('buy'),
  trending: `SELECT item_id, rank FROM trend`,
  // Items of the visitor's three favourite categories, favourite first; in each, its trending
  // products by score, then its newest. Read from the trending list (a key lookup each) and down
  // the category's index (?7 a category beyond the trending ones), never the whole category.
  personal: `WITH cats AS (
      SELECT category, sum(weight) AS w FROM rec_visitor_categories
      WHERE site = ?1 AND visitor_id IN ${VISITORS} GROUP BY category ORDER BY w DESC LIMIT 3),
    hot AS MATERIALIZED (
      SELECT c.item_id, cats.w, t.score, c.updated_at FROM trend t CROSS JOIN catalog c ON c.site = ?1 AND c.item_id = t.item_id
      JOIN cats ON cats.category = c.category WHERE c.available = 1 AND c.name IS NOT NULL),
    fresh AS (
      SELECT c.item_id, cats.w, 0 AS score, c.updated_at FROM cats CROSS JOIN catalog c ON c.site = ?1 AND c.item_id IN (
        SELECT n.item_id FROM catalog n INDEXED BY catalog_by_category_newest
        WHERE n.site = ?1 AND n.category = cats.category AND n.available = 1 AND n.name IS NOT NULL
          AND n.item_id NOT IN (SELECT item_id FROM hot) AND n.item_id NOT IN (SELECT item_id FROM unwanted)
        ORDER BY n.updated_at DESC, n.item_id LIMIT ${boundLimit('?7')}))
    SELECT item_id, row_number() OVER (ORDER BY w DESC, score DESC, updated_at DESC, item_id) AS rank FROM (SELECT * FROM hot UNION ALL SELECT * FROM fresh)`,
  // Newest first down the index, stopping at ?7 of those the shelf can show.
  catalog: `SELECT item_id, row_number() OVER (ORDER BY updated_at DESC) AS rank FROM (
      SELECT item_id, updated_at FROM catalog INDEXED BY catalog_by_updated
      WHERE site = ?1 AND available = 1 AND name IS NOT NULL AND item_id NOT IN (SELECT item_id FROM unwanted)
      ORDER BY updated_at DESC LIMIT ${boundLimit('?7')})`,
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

/** A chain's best candidates as product cards, source by source in the chain's order and each
 * source's by rank: never what the shopper is looking at, has in the cart or has bought (under
 * any of their visitor ids). One statement for the whole chain: the shopper's ids and exclusions
 * are worked out once, and D1 pays one statement's overhead. The rows stream (no ORDER BY over
 * them, each source ordered in its own subquery) and stop at ?7 × 3 = 6 × the shelf's size: a
 * later source is never read once the earlier ones have filled the shelf (most shelves end in
 * their first sources; trending and the catalogue were most of the statement). Enough rows: the
 * shelf needs `limit` distinct items, and a source can only repeat the fewer than `limit` found
 * before it, so four sources after the first add at most 4 × limit repeats (5 × limit rows in
 * all); the sixth covers cart lines the decision drops in JS from a shelf read ahead. Candidates
 * find their product by key (CROSS JOIN keeps them the outer loop, in order). */
const shelfOf = (chain: readonly RecommendationSourceT[]) => `
WITH ${SHOPPER_CTES},
  unwanted (item_id) AS MATERIALIZED (
    SELECT value FROM json_each(?5)
    UNION SELECT item_id FROM rec_visitor_items WHERE site = ?1 AND visitor_id IN ${VISITORS} AND (cart_qty > 0 OR purchased_at IS NOT NULL)),
  trend (item_id, score, rank) AS MATERIALIZED (SELECT value ->> 0, value ->> 1, key FROM json_each(?4)),
  ${chain.map((source, i) => `s${i} AS (${RANKED[source]})`).join(',\n  ')},
  ranked (src, item_id, rank) AS (${chain.map((_, i) => `SELECT * FROM (SELECT ${i}, item_id, rank FROM s${i} ORDER BY rank LIMIT -1)`).join('\n    UNION ALL ')})
SELECT r.src AS src, c.item_id AS item_id, c.name AS name, c.price AS price, c.currency AS currency, c.image_url AS image_url, c.url AS url
FROM ranked r CROSS JOIN catalog c ON c.site = ?1 AND c.item_id = r.item_id
WHERE c.available = 1 AND c.name IS NOT NULL AND c.item_id NOT IN (SELECT item_id FROM unwanted)
LIMIT ${boundLimit('?7')} * 3`;

const CATALOG_ROW_COLUMNS = ['src', 'item_id', 'name', 'price', 'currency', 'image_url', 'url'] as const;

/** Each strategy's shelf statement, built once: its rows as one JSON value (`shelf`). */
const SHELVES = Object.fromEntries(
  Object.entries(FALLBACK_CHAINS).map(([strategy, chain]) => [strategy, `SELECT ${jsonRows(CATALOG_ROW_COLUMNS, shelfOf(chain))} AS shelf`]),
) as Record<RecommendationStrategyT, string>;

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

/** The rows of a shelf statement's result. */
export const shelfRows = (result: D1Result | undefined): CatalogRow[] => JSON.parse((result?.results[0] as { shelf: string } | undefined)?.shelf ?? '[]') as CatalogRow[];

/** The read of one shelf: the strategy's whole fallback chain in one statement (alone, or beside
 * the decision's own reads); its rows come out with shelfRows. */
export function shelfStatement(db: D1Reader, input: RecommendInput): D1PreparedStatement {
  const excluded = JSON.stringify([...input.cart, ...(input.productId ? [input.productId] : [])]);
  const seeds = JSON.stringify(input.productId ? [input.productId] : []);
  // What a source may take from a category or the catalogue: enough that the sources before it, which give fewer than `limit`, leave it `limit` new ones.
  const count = 2 * input.limit;
  return db.prepare(SHELVES[input.strategy]).bind(input.site, input.anonId ?? '', JSON.stringify(input.userIds), JSON.stringify(input.trending), excluded, seeds, count);
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
  return shelfFrom(input.strategy, input.limit, shelfRows(await shelfStatement(db, input).all()));
}
