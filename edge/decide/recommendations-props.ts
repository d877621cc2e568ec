import type { DecideRequestT, RecommendationStrategyT, WidgetPropsOf } from '../contract';
import type { D1Reader } from '../lib/d1-reader';
import { shelfFrom, shelfRows, shelfStatement, type RecommendInput } from '../recs/recommend';
import type { TrendingList } from '../recs/trending';
import type { CompiledConfig } from './compile-config';
import type { Decided } from './engine';
import type { VisitorState } from './visitor-state';

/** Shelves read ahead, beside the shopper's own reads: at most this many distinct ones a page. */
const MAX_AHEAD = 2;

/** Shelves read in the decision's own round trip, by `shelfKey`. */
export interface ShelvesAhead {
  /** The site's trending list the shelves rank with (siteTrending). */
  trending: TrendingList;
  keys: string[];
  /** One statement a shelf, in `keys` order. */
  statements: D1PreparedStatement[];
}

const shelfKey = (strategy: RecommendationStrategyT, limit: number, productId: string | undefined) => `${strategy}|${limit}|${productId ?? ''}`;

function shelfInput(site: string, request: DecideRequestT, memberId: string | undefined, cart: readonly string[], strategy: RecommendationStrategyT, limit: number, productId: string | undefined, trending: TrendingList): RecommendInput {
  const userIds = [request.user_id, memberId].filter((id): id is string => typeof id === 'string');
  return { site, anonId: request.anon_id, userIds, productId, cart, strategy, limit, trending };
}

/** Whether any enabled campaign shows a shelf (only then is the site's trending list needed). */
export const showsShelves = (compiled: CompiledConfig) => compiled.campaigns.some((c) => c.cfg.template === 'recommendations');

/** The shelves this page will most likely show: inline recommendations campaigns in one of the
 * page's slots. Read beside the decision's own reads, they cost no round trip of their own (the
 * shelf used to add two, and most of decide's time). The cart is left to the shelf's own
 * exclusion of carted items (rec_visitor_items); a decision for another shelf reads afterwards. */
export function shelvesAhead(db: D1Reader, site: string, request: DecideRequestT, compiled: CompiledConfig, trending: TrendingList): ShelvesAhead {
  const ahead: ShelvesAhead = { trending, keys: [], statements: [] };
  const slots = new Set(request.page.slots);
  for (const c of compiled.campaigns) {
    if (ahead.keys.length >= MAX_AHEAD) break;
    if (c.cfg.template !== 'recommendations' || c.cfg.placement !== 'inline' || c.cfg.slot === null || !slots.has(c.cfg.slot)) continue;
    const { strategy, limit } = c.cfg.settings;
    const key = shelfKey(strategy, limit, request.page.item_id);
    if (ahead.keys.includes(key)) continue;
    ahead.keys.push(key);
    ahead.statements.push(shelfStatement(db, shelfInput(site, request, undefined, [], strategy, limit, request.page.item_id, trending)));
  }
  return ahead;
}

/** Fills shown recommendations decisions with their shelf, from the same aggregates and fallback
 * chains as GET /v1/recommendations: the widget paints products with the decision instead of
 * asking a second time (a round trip, and a frame of skeleton, before the shelf appears). A shelf
 * read ahead (`answers`: the results of `ahead.statements`) is used as it is, less what the cart
 * holds; any other is read now. A failure leaves the decision as it was; the widget then asks
 * itself. */
export async function fillRecommendations(
  db: D1Reader,
  site: string,
  request: DecideRequestT,
  state: VisitorState,
  decided: readonly Decided[],
  ahead: ShelvesAhead,
  answers: readonly D1Result[] = [],
): Promise<void> {
  const shelves = decided.filter((d) => d.template === 'recommendations' && !d.holdout);
  // Most decisions have no shelf: no query for them.
  if (shelves.length === 0) return;
  const member = state.visitorId.startsWith('u:') ? state.visitorId.slice(2) : undefined;
  const cart = state.cart.map((line) => line.item_id);
  const inCart = new Set(cart);
  try {
    await Promise.all(
      shelves.map(async (d) => {
        const props = d.props as WidgetPropsOf<'recommendations'>;
        const at = ahead.keys.indexOf(shelfKey(props.strategy, props.limit, props.item_id));
        const read = at >= 0 && answers.length === ahead.statements.length ? answers[at] : undefined;
        const shelf = read
          ? shelfFrom(props.strategy, props.limit, shelfRows(read).filter((row) => !inCart.has(row.item_id)))
          : shelfFrom(props.strategy, props.limit, shelfRows(await shelfStatement(db, shelfInput(site, request, member, cart, props.strategy, props.limit, props.item_id, ahead.trending)).all()));
        props.items = shelf.items;
        props.sources = shelf.sources;
      }),
    );
  } catch (err) {
    console.error('recommendations not filled in', err);
  }
}
