import { Hono } from 'hono';
import { SERVER_ONLY_EVENTS } from '../contract';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/api-error';
import { limitBody, SETTINGS_BODY_BYTES } from '../lib/body-limit';
import { readJsonBody } from '../lib/read-json-body';
import { getSite } from '../sites/site-registry';
import { ingestServerEvents } from './admin-events';

/** The demo shop's site, and copies of it (`demo-*`: a browser journey runs the demo pages
 * against a site of its own, so its shoppers and config stay apart). */
const DEMO_SITES = /^demo(?:-[a-z0-9-]{1,60})?$/;

/** POST /v1/demo/member-facts — development only (`DEMO_SHOP_SERVER=allow`, which `npm start`
 * sets; never in production). The demo shop is static pages with its "database" in the browser,
 * so it has no server to send what its back office knows of a member (points, tier, coupons:
 * edge/assets/demo/js/membership.js). This stands in for that server: it takes those events for
 * the `demo` site (and its `demo-*` copies) only and passes them down the path of POST /v1/admin/sites/:site/events, so
 * no admin token ever reaches the shop's pages. */
export const demoShopServer = new Hono<AppEnv>().post('/v1/demo/member-facts', limitBody(SETTINGS_BODY_BYTES), async (c) => {
  if (c.env.DEMO_SHOP_SERVER !== 'allow') throw new ApiError(404, 'not_found', 'No route for POST /v1/demo/member-facts.');
  const body = (await readJsonBody(c)) as { site?: unknown; events?: unknown };
  const site = body?.site === undefined ? 'demo' : body.site;
  if (typeof site !== 'string' || !DEMO_SITES.test(site)) throw new ApiError(400, 'invalid_batch', 'site must be "demo" or "demo-<name>".');
  const events = Array.isArray(body?.events) ? body.events : null;
  if (!events || events.some((e) => !SERVER_ONLY_EVENTS.includes((e as { name?: string } | null)?.name ?? ''))) {
    throw new ApiError(400, 'invalid_batch', `Send {"events": [...]} of ${SERVER_ONLY_EVENTS.join(', ')} only.`);
  }
  const settings = await getSite(c.env.KV, site);
  if (!settings) throw new ApiError(404, 'unknown_site', `No site "${site}" is registered.`);
  return c.json(await ingestServerEvents(c, settings, { events }), 202);
});
