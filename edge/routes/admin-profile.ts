import { Hono } from 'hono';
import { ClientId, Text } from '../contract';
import { getSiteConfig } from '../config/config-store';
import { lifecycleStage } from '../decide/stage';
import { readVisitorState } from '../decide/visitor-state';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/api-error';
import { requestTime } from '../lib/clock';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { knownSite } from '../sites/known-site';

/** GET /v1/admin/sites/:site/profile?anon_id=...|user_id=... — one shopper's lifecycle profile
 * as decisions see it: the stage evaluated now, counters, cart, and history per widget. For a
 * marketer checking why someone saw (or did not see) a prompt. */
export const adminProfile = new Hono<AppEnv>().get('/v1/admin/sites/:site/profile', requireSiteAdmin, async (c) => {
  const siteId = (await knownSite(c)).id;
  const anon = ClientId.safeParse(c.req.query('anon_id'));
  const user = Text(128).min(1).safeParse(c.req.query('user_id'));
  if (!anon.success && !user.success) throw new ApiError(400, 'invalid_query', 'Name the shopper with ?anon_id=... or ?user_id=....');
  const now = requestTime(c);
  const { config } = await getSiteConfig(c.env.KV, siteId, now);
  const state = await readVisitorState(
    c.env.DB,
    { site: siteId, anon_id: anon.success ? anon.data : null, user_id: user.success ? user.data : null, session_id: null },
    config,
    now,
  );
  if (!state.profile && state.widgetRows.length === 0) throw new ApiError(404, 'unknown_visitor', 'Nothing is recorded of this shopper yet.');
  const { cart: _cartJson, ...profile } = state.profile ?? { cart: null };
  return c.json({
    visitor_id: state.visitorId,
    stage: lifecycleStage(state.profile, config.stages, now),
    profile: state.profile ? profile : null,
    cart: state.cart,
    widgets: Object.fromEntries(state.widgetRows.map(({ visitor_id: _v, site: _s, ...row }) => [row.widget, row])),
    interested_products: state.interested,
    awaiting_review: state.reviewable,
  });
});
