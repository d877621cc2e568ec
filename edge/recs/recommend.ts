import { isHttpUrl, type ProductCardT, type RecommendationSourceT, type RecommendationStrategyT } from '../contract';
import type { D1Reader } from '../lib/d1-reader';

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
  /** 'a:<anon_id>' and 'u:<user_id>' forms this browser is known under. */
  visitorIds: readonly string[];
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

interface Context {
  db: D1Reader;
  site: string;
  visitors: string;
  since: number;
  seeds: () => Promise<string[]>;
}

const json = (value: unknown) => JSON.stringify(value);
const ids = async (statement: D1PreparedStatement) => (await statement.all<{ item_id: string }>()).results.map((r) => r.item_id);

/** Recently viewed by this visitor, newest first. */
function recentlyViewed(ctx: Context, count: number) {
  return ids(
    ctx.db
      .prepare(
        `SELECT item_id FROM rec_visitor_items WHERE site = ?1 AND visitor_id IN (SELECT value FROM json_each(?2)) AND views > 0
         GROUP BY item_id ORDER BY MAX(last_viewed_at) DESC LIMIT ?3`,
      )
      .bind(ctx.site, ctx.visitors, count),
  );
}

function pairs(kind: 'view' | 'buy') {
  return async (ctx: Context, count: number) => {
    const seeds = await ctx.seeds();
    if (seeds.length === 0) return [];
    return ids(
      ctx.db
        .prepare(
          `SELECT other_id AS item_id FROM rec_pairs WHERE site = ?1 AND kind = ?2 AND item_id IN (SELECT value FROM json_each(?3))
           GROUP BY other_id ORDER BY SUM(weight) DESC, other_id LIMIT ?4`,
        )
        .bind(ctx.site, kind, json(seeds), count),
    );
  };
}

function trending(ctx: Context, count: number) {
  return ids(
    ctx.db
      .prepare(`SELECT item_id FROM rec_item_days WHERE site = ?1 AND day >= ?2 GROUP BY item_id ORDER BY SUM(${SCORE}) DESC, item_id LIMIT ?3`)
      .bind(ctx.site, ctx.since, count),
  );
}

/** Items of the visitor's three favourite categories, favourite first, each ranked by recent activity. */
function personal(ctx: Context, count: number) {
  return ids(
    ctx.db
      .prepare(
        `WITH cats AS (
           SELECT category, SUM(weight) AS w FROM rec_visitor_categories
           WHERE site = ?1 AND visitor_id IN (SELECT value FROM json_each(?2)) GROUP BY category ORDER BY w DESC LIMIT 3)
         SELECT c.item_id FROM cats JOIN catalog c ON c.site = ?1 AND c.category = cats.category
         WHERE c.available = 1 AND c.name IS NOT NULL
         ORDER BY cats.w DESC,
           COALESCE((SELECT SUM(${SCORE}) FROM rec_item_days d WHERE d.site = ?1 AND d.item_id = c.item_id AND d.day >= ?3), 0) DESC,
           c.updated_at DESC
         LIMIT ?4`,
      )
      .bind(ctx.site, ctx.visitors, ctx.since, count),
  );
}

function catalog(ctx: Context, count: number) {
  return ids(
    ctx.db
      .prepare(`SELECT item_id FROM catalog WHERE site = ?1 AND available = 1 AND name IS NOT NULL ORDER BY updated_at DESC LIMIT ?2`)
      .bind(ctx.site, count),
  );
}

const CANDIDATES: Record<RecommendationSourceT, (ctx: Context, count: number) => Promise<string[]>> = {
  viewed_together: pairs('view'),
  bought_together: pairs('buy'),
  trending,
  recently_viewed: recentlyViewed,
  personal,
  catalog,
};

interface CatalogRow {
  item_id: string;
  name: string;
  price: number | null;
  currency: string | null;
  image_url: string | null;
  url: string | null;
}

/** Catalogue rows for candidate ids, in candidate order; unknown, unnamed and unavailable ids drop out.
 * URLs are checked again on the way out: nothing but http(s) ever reaches a shop page. */
async function productCards(db: D1Reader, site: string, itemIds: readonly string[]): Promise<ProductCardT[]> {
  if (itemIds.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT item_id, name, price, currency, image_url, url FROM catalog
       WHERE site = ?1 AND item_id IN (SELECT value FROM json_each(?2)) AND available = 1 AND name IS NOT NULL`,
    )
    .bind(site, json(itemIds))
    .all<CatalogRow>();
  const byId = new Map(results.map((row) => [row.item_id, row]));
  return itemIds.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const card: ProductCardT = { item_id: row.item_id, name: row.name };
    if (row.price !== null) card.price = row.price;
    if (row.currency) card.currency = row.currency;
    if (row.image_url && isHttpUrl(row.image_url)) card.image_url = row.image_url;
    if (row.url && isHttpUrl(row.url)) card.url = row.url;
    return [card];
  });
}

/** What the visitor has in the cart or has bought: never recommended back to them. */
async function ownedOrInCart(db: D1Reader, site: string, visitors: string): Promise<string[]> {
  return ids(
    db
      .prepare(
        `SELECT item_id FROM rec_visitor_items WHERE site = ?1 AND visitor_id IN (SELECT value FROM json_each(?2))
         AND (cart_qty > 0 OR purchased_at IS NOT NULL) LIMIT 500`,
      )
      .bind(site, visitors),
  );
}

export async function recommend(db: D1Reader, input: RecommendInput): Promise<Recommendation> {
  const visitors = json(input.visitorIds);
  let seeds: Promise<string[]> | undefined;
  const ctx: Context = {
    db,
    site: input.site,
    visitors,
    since: Math.floor((input.now ?? Date.now()) / DAY_MS) - TRENDING_DAYS + 1,
    // Viewed/bought together seed on the page's product, else on what the visitor looked at last.
    seeds: () => (seeds ??= input.productId ? Promise.resolve([input.productId]) : recentlyViewed(ctx, 3)),
  };
  const excluded = new Set([...input.cart, ...(input.productId ? [input.productId] : [])]);
  if (input.visitorIds.length > 0) for (const id of await ownedOrInCart(db, input.site, visitors)) excluded.add(id);

  const items: ProductCardT[] = [];
  const sources: RecommendationSourceT[] = [];
  for (const source of FALLBACK_CHAINS[input.strategy]) {
    const wanted = input.limit - items.length;
    if (wanted <= 0) break;
    // Ask for more than needed: some candidates are excluded or no longer in the catalogue.
    const candidates = await CANDIDATES[source](ctx, wanted + excluded.size + 10);
    const fresh = candidates.filter((id) => !excluded.has(id));
    const cards = (await productCards(db, input.site, fresh)).slice(0, wanted);
    if (cards.length === 0) continue;
    for (const card of cards) excluded.add(card.item_id);
    items.push(...cards);
    sources.push(source);
  }
  return { items, sources };
}
