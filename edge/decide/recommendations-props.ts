import type { DecideRequestT, WidgetPropsOf } from '../contract';
import type { D1Reader } from '../lib/d1-reader';
import { recommend } from '../recs/recommend';
import { shopperVisitorIds } from '../identity/person';
import type { Decided } from './engine';
import type { VisitorState } from './visitor-state';

/** Fills shown recommendations decisions with their shelf, from the same aggregates and fallback
 * chains as GET /v1/recommendations: the widget paints products with the decision instead of
 * asking a second time (a round trip, and a frame of skeleton, before the shelf appears). A
 * failure leaves the decision as it was; the widget then asks itself. */
export async function fillRecommendations(db: D1Reader, site: string, request: DecideRequestT, state: VisitorState, decided: readonly Decided[], now: number): Promise<void> {
  const shelves = decided.filter((d) => d.template === 'recommendations' && !d.holdout);
  // Most decisions have no shelf: no query for them.
  if (shelves.length === 0) return;
  const member = state.visitorId.startsWith('u:') ? state.visitorId.slice(2) : undefined;
  const userIds = [request.user_id, member].filter((id): id is string => typeof id === 'string');
  const cart = state.cart.map((line) => line.item_id);
  try {
    const visitors = await shopperVisitorIds(db, site, request.anon_id, userIds);
    await Promise.all(
      shelves.map(async (d) => {
        const props = d.props as WidgetPropsOf<'recommendations'>;
        const { items, sources } = await recommend(db, { site, visitorIds: visitors, productId: props.item_id, cart, strategy: props.strategy, limit: props.limit, now });
        props.items = items;
        props.sources = sources;
      }),
    );
  } catch (err) {
    console.error('recommendations not filled in', err);
  }
}
