import type { RecommendationSourceT, RecommendationsResponseT, RecommendationStrategyT } from '../../edge/contract';
import type { WidgetHost } from '../../sdk/widget-api';

export const STRATEGIES: readonly RecommendationStrategyT[] = ['viewed_together', 'bought_together', 'trending', 'recently_viewed', 'personal'];

export interface RecsRequest {
  strategy: RecommendationStrategyT;
  limit: number;
  itemId?: string;
}

/** GET /v1/recommendations for this shopper. Resolves to no items on any failure: a shelf that
 * cannot load stays out of the way. */
export async function fetchRecommendations(host: WidgetHost, request: RecsRequest, timeoutMs = 5000): Promise<Pick<RecommendationsResponseT, 'items' | 'sources'>> {
  const query = new URLSearchParams({ site: host.site, strategy: request.strategy, limit: String(request.limit) });
  if (host.anonId) query.set('anon_id', host.anonId);
  if (host.userId) query.set('user_id', host.userId);
  if (host.userId && host.userHash) query.set('user_hash', host.userHash);
  if (request.itemId) query.set('product_id', request.itemId);
  if (host.cart?.length) query.set('cart', host.cart.slice(0, 50).join(','));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(`${host.endpoint.replace(/\/$/, '')}/v1/recommendations?${query}`, { credentials: 'omit', signal: controller.signal });
    if (!response.ok) return { items: [], sources: [] };
    const body = (await response.json()) as Partial<RecommendationsResponseT>;
    return { items: Array.isArray(body.items) ? body.items : [], sources: Array.isArray(body.sources) ? (body.sources as RecommendationSourceT[]) : [] };
  } catch {
    return { items: [], sources: [] };
  } finally {
    clearTimeout(timer);
  }
}
