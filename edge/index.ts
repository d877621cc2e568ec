import { Hono } from 'hono';
import type { AppEnv, Bindings } from './env';
import { sweepPendingBatches } from './ingest/process-batch';
import { ApiError, respondWithError } from './lib/api-error';
import { publicCors } from './middleware/public-cors';
import { adminSites } from './routes/admin-sites';
import { collect } from './routes/collect';
import { health } from './routes/health';

export const app = new Hono<AppEnv>()
  .use('/v1/collect', publicCors())
  .route('/', health)
  .route('/', collect)
  .route('/', adminSites)
  .notFound((c) => respondWithError(c, new ApiError(404, 'not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)))
  .onError((err, c) => respondWithError(c, err));

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(sweepPendingBatches(env.DB));
  },
} satisfies ExportedHandler<Bindings>;
