import { Hono } from 'hono';
import { ClientId, Device, HttpUrl, LIMITS, PageType, Text, type DecideRequestT } from '../contract';
import { getSiteConfig } from '../config/config-store';
import { compileCampaign, compileConfig } from '../decide/compile-config';
import { eligibility, explainEligibility } from '../decide/engine';
import { because } from '../decide/reasons';
import { lifecycleStage, stageWithChurnModel } from '../decide/stage';
import { controlAssignment } from '../decide/control-group';
import { readVisitorState } from '../decide/visitor-state';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/api-error';
import { requestTime } from '../lib/clock';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { knownSite } from '../sites/known-site';
import { siteDb } from '../sites/site-database';

const EVERY_FACT = { orderTimes: true, coupons: true, repurchase: true, surveys: true };

/** GET /v1/admin/sites/:site/profile?anon_id=...|user_id=...[&url=&page_type=&device=] — one
 * shopper as decisions see them: the stage evaluated now, counters, cart, what the shop knows
 * (orders, sign-up, tier, points, coupons, repurchase dates, churn risk, survey answers), history
 * per campaign, and for every campaign whether it could be decided for them on that page now and
 * why not. For a marketer checking why someone saw (or did not see) a prompt. */
export const adminProfile = new Hono<AppEnv>().get('/v1/admin/sites/:site/profile', requireSiteAdmin, async (c) => {
  const site = await knownSite(c);
  const anon = ClientId.safeParse(c.req.query('anon_id'));
  const user = Text(128).min(1).safeParse(c.req.query('user_id'));
  if (!anon.success && !user.success) throw new ApiError(400, 'invalid_query', 'Name the shopper with ?anon_id=... or ?user_id=....');
  const url = HttpUrl.safeParse(c.req.query('url') ?? 'https://shop.invalid/');
  const pageType = PageType.safeParse(c.req.query('page_type') ?? 'home');
  const device = Device.safeParse(c.req.query('device') ?? 'desktop');
  if (!url.success || !pageType.success || !device.success) throw new ApiError(400, 'invalid_query', 'url must be an http(s) URL, page_type a page type, device mobile|tablet|desktop.');
  const now = requestTime(c);
  const { config } = await getSiteConfig(c.env.KV, site.id, now);
  const compiled = compileConfig(config);
  const readAt = (session_id: string | null) =>
    readVisitorState(
      siteDb(c.env, site),
      { site: site.id, anon_id: anon.success ? anon.data : null, user_id: user.success ? user.data : null, session_id, timezone: site.timezone },
      compiled,
      now,
      EVERY_FACT,
    );
  let state = await readAt(null);
  if (!state.profile && state.widgetRows.length === 0) throw new ApiError(404, 'unknown_visitor', 'Nothing is recorded of this shopper yet.');
  // A shopper whose latest session is still going is read as on their next page of it (per-session
  // caps, the visit's page views and source); otherwise as at the start of a new visit.
  const live = (at: number | undefined) => at !== undefined && now - at < LIMITS.sessionIdleMs;
  const latest = state.profile?.last_session_id;
  if (latest && live(state.profile?.last_seen)) {
    const during = await readAt(latest);
    if (live(during.session?.last_seen)) state = during;
  }
  const visit = state.session ? { session_id: latest!, page_views: state.session.page_views, last_seen: state.session.last_seen } : null;
  const request: DecideRequestT = {
    site: site.id,
    anon_id: anon.success ? anon.data : 'profile-view',
    ...(user.success ? { user_id: user.data } : {}),
    session_id: visit?.session_id ?? 'profile-view',
    page: { url: url.data, type: pageType.data, slots: [] },
    // The request side of consent is assumed granted: the shopper's recorded choice still decides.
    consent: { analytics: true, marketing: true },
  };
  const compiledAll = config.campaigns.map(compileCampaign);
  const explained = explainEligibility({ request, site, compiled, state, now, device: device.data }, compiledAll);
  const { cart: _cartJson, points_expiring: _points, ...profile } = state.profile ?? { cart: null, points_expiring: null };
  // A shopper in the store-wide control group is decided nothing, whatever the campaigns say.
  const inControl = controlAssignment(state.control, state.visitorId, site, now).inControl;
  return c.json({
    visitor_id: state.visitorId,
    // As the shopper stands now, not as a visit of theirs would make it (dormant stays dormant).
    stage: stageWithChurnModel(lifecycleStage(state.profile, config.stages, now), explained.facts.orders, explained.facts.churn?.risk ?? null, config.stages),
    profile: state.profile ? profile : null,
    visit,
    facts: explained.facts,
    cart: state.cart,
    campaigns: Object.fromEntries(state.widgetRows.map(({ visitor_id: _v, site: _s, ...row }) => [row.campaign, row])),
    control_group: inControl,
    eligibility: inControl ? compiledAll.map((w) => eligibility(w, because('control_group'))) : explained.campaigns,
    interested_products: state.interested,
    awaiting_review: state.reviewable,
  });
});
