import type { Context } from 'hono';

/** Bindings declared in wrangler.toml, and the secrets the worker reads. */
export interface Bindings {
  DB: D1Database;
  KV: KVNamespace;
  ASSETS: Fetcher;
  /** R2: the event log, gzip NDJSON per site and day (edge/archive/layout.ts). */
  ARCHIVE: R2Bucket;
  /** Queue mode (wrangler.queue.toml): when bound, collect sends accepted events here and the
   * queue consumer stores them (edge/ingest/queue-consumer.ts). Absent: collect stores directly. */
  INGEST_QUEUE?: Queue;
  /** Operator token: creates sites and opens every site's admin API. From .dev.vars locally. */
  ADMIN_TOKEN?: string;
  /** "allow" lets tests and local journeys move the clock with X-Touchpoint-Now (edge/lib/clock.ts). Never in production. */
  CLOCK_OVERRIDE?: string;
  /** "allow" lets webhooks go to http://localhost (development and tests). Never in production. */
  ALLOW_LOCAL_WEBHOOKS?: string;
  /** "allow" opens /v1/demo/member-facts, the demo shop's stand-in server (edge/routes/demo-shop-server.ts). `npm start` only. */
  DEMO_SHOP_SERVER?: string;
}

/** Who opened an admin route: the operator (ADMIN_TOKEN) or the site's own token. */
export type AdminRole = 'operator' | 'site';

export type AppEnv = { Bindings: Bindings; Variables: { adminRole: AdminRole } };
export type AppContext = Context<AppEnv>;
