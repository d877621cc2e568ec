import { Hono } from 'hono';
import { RecommendationsQuery, type RecommendationsResponseT } from '../contract';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/api-error';
import { enforceSiteRate } from '../lib/rate-limit';
import { TokenBuckets } from '../lib/token-bucket';
import { describeIssues } from '../lib/zod-issues';
import { requestTime } from '../lib/clock';
import { recommend } from '../recs/recommend';
import { siteTrending } from '../recs/trending';
import { siteForRequest } from '../sites/site-for-request';
import { userVerifier } from '../sites/verify-user';
import { siteDb } from '../sites/site-database';

/** One request costs one token of the site's rate (a bucket of its own). */
const rateLimits = new TokenBuckets();

/** GET /v1/recommendations: public, called by the recommendations widget from shop pages. */
export const recommendations = new Hono<AppEnv>().get('/v1/recommendations', async (c) => {
  const query = RecommendationsQuery.safeParse(c.req.query());
  if (!query.success) throw new ApiError(400, 'invalid_query', `${describeIssues(query.error)}. Send ?site=&strategy=&anon_id=&product_id=&limit=.`);
  const q = query.data;
  const site = await siteForRequest(c, q.site);
  enforceSiteRate(rateLimits, site, 1, 'recommendations');
  const member = q.user_id && (await userVerifier(site)(q.user_id, q.user_hash)) ? [q.user_id] : [];
  const db = siteDb(c.env, site);
  const result = await recommend(db, {
    site: q.site,
    anonId: q.anon_id,
    userIds: member,
    productId: q.product_id,
    cart: q.cart ?? [],
    strategy: q.strategy,
    limit: q.limit,
    trending: await siteTrending(db, q.site, requestTime(c), (work) => c.executionCtx.waitUntil(work)),
  });
  // Per shopper and quickly stale as they browse: the browser may reuse it briefly, caches not at all.
  c.header('Cache-Control', 'private, max-age=30');
  return c.json({ strategy: q.strategy, ...result } satisfies RecommendationsResponseT);
});
