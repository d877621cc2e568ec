import { z } from 'zod';
import { ClientId, SiteId, Text, UserHash } from './primitives';
import { ProductCard, WIDGET_PROPS } from './widget-props';

export const RecommendationStrategy = WIDGET_PROPS.recommendations.shape.strategy;
export type RecommendationStrategyT = z.infer<typeof RecommendationStrategy>;

/** Where the items of an answer came from: a strategy, or the catalogue as the last fallback. */
export const RecommendationSource = WIDGET_PROPS.recommendations.shape.sources.unwrap().element;
export type RecommendationSourceT = z.infer<typeof RecommendationSource>;

const IdList = Text(6500)
  .transform((text) => [...new Set(text.split(',').map((id) => id.trim()).filter(Boolean))])
  .pipe(z.array(Text(128)).max(50, 'must name at most 50 items'));

/** GET /v1/recommendations query. */
export const RecommendationsQuery = z.object({
  site: SiteId,
  anon_id: ClientId.optional(),
  user_id: Text(128).min(1).optional(),
  /** Proof of `user_id`, as for decide; without it a site with an identity secret ignores the user id. */
  user_hash: UserHash.optional(),
  /** The product on the page: excluded, and the seed of viewed/bought together. */
  product_id: Text(128).min(1).optional(),
  strategy: RecommendationStrategy.default('trending'),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be 1 to 24').max(24, 'must be 1 to 24').default(8),
  /** Item ids in the shopper's cart as the page knows them, comma-separated; excluded. */
  cart: IdList.optional(),
});
export type RecommendationsQueryT = z.infer<typeof RecommendationsQuery>;

export const RecommendationsResponse = z.object({
  strategy: RecommendationStrategy,
  items: z.array(ProductCard),
  /** The strategies that filled the list, in order (the fallback chain as far as it went). */
  sources: z.array(RecommendationSource),
});
export type RecommendationsResponseT = z.infer<typeof RecommendationsResponse>;
