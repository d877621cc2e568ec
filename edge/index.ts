import { Hono } from 'hono';
import type { AppEnv, Bindings } from './env';
import { edgePath, isRoute, rewritten } from './first-party/paths';
import { ApiError, respondWithError } from './lib/api-error';
import { ANY_BODY_BYTES, limitBody } from './lib/body-limit';
import { publicCors } from './middleware/public-cors';
import { sweepPendingBatches } from './pipeline/run';
import { consumeIngestBatch, isDeadLetterQueue, parkUndeliveredBatch } from './ingest/queue-consumer';
import { forEachDatabase } from './sites/site-database';
import { archiveAllSites } from './archive/cron';
import { sendAllDueDeliveries } from './handoff/send';
import { sweepAllHandoffs } from './handoff/sweep';
import { queueAllReviewWebhooks } from './reviews/webhook-delivery';
import { queueAllJourneyWebhooks } from './handoff/journey-webhooks';
import { adminArchive } from './routes/admin-archive';
import { adminCatalog } from './routes/admin-catalog';
import { adminConfig } from './routes/admin-config';
import { adminDeadLetters } from './routes/admin-dead-letters';
import { adminDeliveries } from './routes/admin-deliveries';
import { adminHandoffs } from './routes/admin-handoffs';
import { adminEvents } from './routes/admin-events';
import { adminExports } from './routes/admin-exports';
import { adminPreview } from './routes/admin-preview';
import { adminProfile } from './routes/admin-profile';
import { adminShell } from './routes/admin-shell';
import { adminReport } from './routes/admin-report';
import { adminSites } from './routes/admin-sites';
import { adminTagging } from './routes/admin-tagging';
import { adminTemplates } from './routes/admin-templates';
import { adminVisitors } from './routes/admin-visitors';
import { adminWebhooks } from './routes/admin-webhooks';
import { collect } from './routes/collect';
import { decideRoute } from './routes/decide';
import { demoShopServer } from './routes/demo-shop-server';
import { health } from './routes/health';
import { recommendations } from './routes/recommendations';

export const app = new Hono<AppEnv>()
  // A ceiling for every route; each route that reads a body sets its own, lower one.
  .use('*', limitBody(ANY_BODY_BYTES))
  .use('/v1/collect', publicCors())
  .use('/v1/decide', publicCors())
  .use('/v1/recommendations', publicCors())
  .route('/', health)
  .route('/', collect)
  .route('/', decideRoute)
  .route('/', adminSites)
  .route('/', adminConfig)
  .route('/', adminEvents)
  .route('/', adminProfile)
  .route('/', adminReport)
  .route('/', recommendations)
  .route('/', adminCatalog)
  .route('/', adminExports)
  .route('/', adminWebhooks)
  .route('/', adminDeliveries)
  .route('/', adminHandoffs)
  .route('/', adminVisitors)
  .route('/', demoShopServer)
  .route('/', adminTagging)
  .route('/', adminArchive)
  .route('/', adminDeadLetters)
  .route('/', adminPreview)
  .route('/', adminTemplates)
  .route('/', adminShell)
  .notFound((c) => respondWithError(c, new ApiError(404, 'not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)))
  .onError((err, c) => respondWithError(c, err));

export default {
  // A first-party path (a shop's prefix, a neutral alias) is answered as the route or asset it stands for.
  fetch(request, env, ctx) {
    const path = edgePath(new URL(request.url).pathname);
    if (path == null) return app.fetch(request, env, ctx);
    return isRoute(path) ? app.fetch(rewritten(request, path), env, ctx) : env.ASSETS.fetch(rewritten(request, path));
  },
  // Queue mode: the ingest queue's consumer, and the dead-letter queue's (README, "Ingest through Cloudflare Queues").
  async queue(batch, env, ctx) {
    if (isDeadLetterQueue(batch.queue)) await parkUndeliveredBatch(batch, env);
    else await consumeIngestBatch(batch, env, ctx);
  },
  async scheduled(controller, env, ctx) {
    // The run's own time, so `wrangler dev`'s /cdn-cgi/local/scheduled?time=… can stand in for a later minute.
    const now = controller.scheduledTime;
    ctx.waitUntil(
      forEachDatabase(env, (db) => sweepPendingBatches(db))
        .then(() => queueAllReviewWebhooks(env, now))
        .then(() => queueAllJourneyWebhooks(env, now))
        .then(() => sweepAllHandoffs(env, now))
        .then(() => sendAllDueDeliveries(env, now))
        // Last: the longest step, and nothing waits on it.
        .then(() => archiveAllSites(env, now)),
    );
  },
} satisfies ExportedHandler<Bindings>;
