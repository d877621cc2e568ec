import type { DecideRequestT, DeviceT, EligibilityT, SiteSettingsT, StageT, TriggerT, VariantT, WidgetNameT } from '../contract';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../lib/time';
import { factsVerdict } from './audience-facts';
import type { CompiledCampaign, CompiledConfig } from './compile-config';
import { unitHash } from './hash';
import { buildProps } from './props';
import { shopperFacts, type ShopperFacts } from './shopper-facts';
import { because, reasonWords, type Verdict } from './reasons';
import { lifecycleStage, stageWithChurnModel } from './stage';
import { isTouchpoint, touchpointContent } from './touchpoints';
import { interestedProduct, reviewableFor, type VisitorState } from './visitor-state';

/** The decision itself, without I/O: which campaigns may show to this shopper on this page now,
 * at most one overlay (site-wide) and one campaign per inline slot, each either shown or held
 * out. Caps, cooldowns, conversions and holdout are per campaign. */

export interface DecideContext {
  request: DecideRequestT;
  site: SiteSettingsT;
  compiled: CompiledConfig;
  state: VisitorState;
  now: number;
  device: DeviceT;
}

export interface Decided {
  decision_id: string;
  campaign: string;
  template: WidgetNameT;
  variant: string;
  placement: 'overlay' | 'inline';
  slot: string | null;
  /** Held out: recorded, not shown. */
  holdout: boolean;
  trigger: TriggerT;
  props: Record<string, unknown>;
}

export interface DecideOutcome {
  stage: StageT;
  overlay: Decided | null;
  inline: Decided[];
}

export interface Facts {
  ctx: DecideContext;
  stage: StageT;
  shop: ShopperFacts;
  isMember: boolean;
  marketingConsent: boolean;
  url: URL;
  pageType: string;
  sessionPageViews: number;
  returnVisit: boolean;
  utm: { source: string | null; medium: string | null; campaign: string | null };
}

function factsOf(ctx: DecideContext): Facts {
  const { request, state, site, now } = ctx;
  const profile = state.profile;
  const url = new URL(request.page.url);
  const stages = ctx.compiled.config.stages;
  const shop = shopperFacts(state, stages, now);
  const stage = stageWithChurnModel(lifecycleStage(profile, stages, now, true), shop.orders, shop.churn?.risk ?? null, stages);
  // Marketing consent must be granted now (the request) and not refused on record (the profile,
  // from consent_update events). With no choice on record, the site's consent mode decides.
  const recorded = profile?.marketing_consent_at != null ? profile.marketing_consent === 1 : site.consent_mode === 'opt-out';
  const session = state.session;
  return {
    ctx,
    stage,
    shop,
    isMember: Boolean(request.user_id) || profile?.is_member === 1,
    marketingConsent: request.consent.marketing && recorded,
    url,
    pageType: request.page.type ?? 'other',
    // The client counts this page; the server may not have applied its page_view yet.
    sessionPageViews: Math.max(session?.page_views ?? 0, request.session_page_views ?? 0),
    returnVisit: profile !== null && (profile.sessions >= 2 || (profile.sessions >= 1 && profile.last_session_id !== request.session_id)),
    utm: {
      source: url.searchParams.get('utm_source') ?? session?.utm_source ?? null,
      medium: url.searchParams.get('utm_medium') ?? session?.utm_medium ?? null,
      campaign: url.searchParams.get('utm_campaign') ?? session?.utm_campaign ?? null,
    },
  };
}

/** The shopper's facts and stage as props read them (a preview builds props without deciding). */
export function propsFacts(ctx: DecideContext): { shop: ShopperFacts; stage: StageT } {
  const f = factsOf(ctx);
  return { shop: f.shop, stage: f.stage };
}

const inList = (list: readonly string[], value: string | null) => list.length === 0 || (value !== null && list.some((v) => v.toLowerCase() === value.toLowerCase()));

function audienceVerdict(w: CompiledCampaign, f: Facts): Verdict {
  const a = w.cfg.audience;
  const { now, request, device, state } = f.ctx;
  if (w.start !== null && now < w.start) return because('before_schedule');
  if (w.end !== null && now >= w.end) return because('after_schedule');
  if (!a.stages.includes(f.stage)) return because('stage_not_in_audience', { stage: f.stage });
  if (a.membership === 'member' && !f.isMember) return because('members_only');
  if (a.membership === 'guest' && f.isMember) return because('guests_only');
  if (a.consent === 'marketing' && !f.marketingConsent) return because('needs_marketing_consent');
  if (a.consent === 'analytics' && !request.consent.analytics) return because('needs_analytics_consent');
  if (a.devices.length > 0 && !a.devices.includes(device)) return because('device_not_targeted', { device });
  if (a.page_types.length > 0 && !a.page_types.includes(f.pageType as never)) return because('page_type_not_targeted', { page_type: f.pageType });
  if (w.include.length > 0 && !w.include.some((m) => m(f.url))) return because('url_not_included');
  if (w.exclude.some((m) => m(f.url))) return because('url_excluded');
  if (!inList(a.utm.source, f.utm.source) || !inList(a.utm.medium, f.utm.medium) || !inList(a.utm.campaign, f.utm.campaign)) return because('utm_mismatch');
  const cartValue = state.profile?.cart_value ?? 0;
  if (a.cart_value.min !== null && cartValue < a.cart_value.min) return because('cart_value_below');
  if (a.cart_value.max !== null && cartValue > a.cart_value.max) return because('cart_value_above');
  return factsVerdict(a, f.shop, now);
}

/** Triggers the server can check itself; the rest (time, scroll, exit intent, add to cart) the client arms. */
function triggerVerdict(trigger: TriggerT, f: Facts): Verdict {
  if (trigger.type === 'page_views' && f.sessionPageViews < trigger.count) return because('page_views_short', { seen: f.sessionPageViews, needed: trigger.count });
  if (trigger.type === 'return_visit' && !f.returnVisit) return because('not_return_visit');
  return null;
}

function capsVerdict(w: CompiledCampaign, f: Facts): Verdict {
  const h = f.ctx.state.campaigns[w.id];
  if (!h) return null;
  const caps = w.cfg.caps;
  const now = f.ctx.now;
  if (caps.never_after_conversion && h.conversions > 0) return because('converted');
  if (h.lastDismissedAt !== null && now - h.lastDismissedAt < caps.dismiss_cooldown_hours * HOUR_MS) return because('dismissed_recently');
  if (caps.lifetime !== null && h.exposures >= caps.lifetime) return because('lifetime_cap');
  if (caps.per_day !== null && h.dayExposures >= caps.per_day) return because('daily_cap');
  if (caps.per_session !== null && h.sessionExposures >= caps.per_session) return because('session_cap');
  return null;
}

/** What a campaign's template needs to have something to say. */
function contentVerdict(w: CompiledCampaign, f: Facts): Verdict {
  const { state, request, now } = f.ctx;
  const c = w.cfg;
  switch (c.template) {
    case 'signup_benefit':
      return f.isMember ? because('already_member') : null;
    case 'cart_reminder':
      return state.cart.length === 0 ? because('cart_empty') : null;
    case 'review_prompt':
      return reviewableFor(state, c.settings, now).length === 0 ? because('nothing_to_review') : null;
    case 'marketing_consent':
      return state.profile?.marketing_consent === 1 && state.profile.marketing_consent_at !== null ? because('consented_already') : null;
    case 'interested_product':
      return interestedProduct(state, request, c.settings, now) ? null : because('no_interested_product');
    case 'survey': {
      // Answered or dismissed within the recontact period (null: ever): not asked again.
      const since = c.settings.recontact_days === null ? -Infinity : now - c.settings.recontact_days * DAY_MS;
      const answeredAt = Math.max(-Infinity, ...state.surveyAnswers.filter((a) => a.survey === c.id).map((a) => a.answered_at));
      if (answeredAt > since) return because('survey_answered_recently');
      const dismissedAt = state.campaigns[c.id]?.lastDismissedAt ?? null;
      return dismissedAt !== null && dismissedAt > since ? because('survey_dismissed_recently') : null;
    }
    case 'referral':
      // Invite codes belong to members (edge/referrals/codes.ts).
      return state.visitorId.startsWith('u:') ? null : because('members_only');
    default:
      if (isTouchpoint(c)) {
        const outcome = touchpointContent(c, { state, shop: f.shop, stage: f.stage, now });
        return 'reason' in outcome ? outcome.reason : null;
      }
      return null;
  }
}

export function campaignVerdict(w: CompiledCampaign, f: Facts): Verdict {
  return audienceVerdict(w, f) ?? triggerVerdict(w.cfg.trigger, f) ?? capsVerdict(w, f) ?? contentVerdict(w, f);
}

function pickVariant(variants: readonly VariantT[], point: number): VariantT {
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  let at = point * total;
  for (const v of variants) {
    if (v.weight <= 0) continue;
    if (at < v.weight) return v;
    at -= v.weight;
  }
  return variants.find((v) => v.weight > 0) ?? variants[0]!;
}

function decideCampaign(w: CompiledCampaign, f: Facts, slot: string | null): Decided {
  const { state } = f.ctx;
  // Keyed by visitor and campaign: the same shopper always lands in the same group and variant.
  // (A campaign migrated from the widget shape has the widget's name as id: groups carry on.)
  const holdout = unitHash(`${state.visitorId}|${w.id}|holdout`) * 100 < w.cfg.holdout_percent;
  const variant = pickVariant(w.cfg.variants, unitHash(`${state.visitorId}|${w.id}|variant`));
  return {
    decision_id: crypto.randomUUID(),
    campaign: w.id,
    template: w.template,
    variant: variant.id,
    placement: w.cfg.placement,
    slot,
    holdout,
    trigger: w.cfg.trigger,
    props: holdout ? {} : buildProps(w, variant, f.ctx, { shop: f.shop, stage: f.stage }),
  };
}

/** When the next overlay may show: the gap between overlays is site-wide (any campaign's last
 * overlay counts); none at all where the site allows none per page. */
function overlayOpensAt(ctx: DecideContext): number {
  const { overlays } = ctx.compiled.config;
  if (overlays.max_per_page <= 0) return Infinity;
  const lastOverlayAt = Math.max(0, ...Object.values(ctx.state.campaigns).map((h) => h?.lastOverlayAt ?? 0));
  return lastOverlayAt + overlays.min_gap_minutes * MINUTE_MS;
}

export function decide(ctx: DecideContext): DecideOutcome {
  const f = factsOf(ctx);
  let overlay: Decided | null = null;
  if (ctx.now >= overlayOpensAt(ctx)) {
    const w = ctx.compiled.campaigns.find((w) => w.cfg.placement === 'overlay' && campaignVerdict(w, f) === null);
    if (w) overlay = decideCampaign(w, f, null);
  }
  const inline: Decided[] = [];
  for (const slot of new Set(ctx.request.page.slots)) {
    const w = ctx.compiled.campaigns.find((w) => w.cfg.placement === 'inline' && w.cfg.slot === slot && campaignVerdict(w, f) === null);
    if (w) inline.push(decideCampaign(w, f, slot));
  }
  return { stage: f.stage, overlay, inline };
}

/** Every campaign of the config, enabled or not, with whether this shopper could be decided for
 * it on the given page now and why not (the admin profile view), and, of those that could, whether
 * decide would pick it now: the first eligible overlay by priority while the overlay gap allows,
 * the first eligible campaign of each slot (as if the page had every slot). */
export function explainEligibility(ctx: DecideContext, all: readonly CompiledCampaign[]): { stage: StageT; facts: ShopperFacts; campaigns: EligibilityT[] } {
  const f = factsOf(ctx);
  const verdicts = new Map(all.map((w) => [w.id, w.cfg.enabled ? campaignVerdict(w, f) : because('switched_off')]));
  const eligible = ctx.compiled.campaigns.filter((w) => verdicts.get(w.id) === null);
  const firstOverlay = eligible.find((w) => w.cfg.placement === 'overlay');
  const firstOfSlot = new Map<string | null, CompiledCampaign>();
  for (const w of eligible) if (w.cfg.placement === 'inline' && !firstOfSlot.has(w.cfg.slot)) firstOfSlot.set(w.cfg.slot, w);
  const opensAt = overlayOpensAt(ctx);
  const heldBack = (w: CompiledCampaign): Verdict => {
    const first = w.cfg.placement === 'overlay' ? firstOverlay : firstOfSlot.get(w.cfg.slot);
    if (w.cfg.placement === 'overlay' && opensAt === Infinity) return because('overlays_off');
    if (w.cfg.placement === 'overlay' && ctx.now < opensAt) return because('overlay_gap', { minutes: Math.ceil((opensAt - ctx.now) / MINUTE_MS) });
    return first && first.id !== w.id ? because('outranked', { campaign: first.id, name: first.cfg.name }) : null;
  };
  const campaigns = all.map((w) => {
    const reason = verdicts.get(w.id) ?? null;
    return eligibility(w, reason, reason === null ? heldBack(w) : null);
  });
  return { stage: f.stage, facts: f.shop, campaigns };
}

/** A campaign's line in the profile view, each reason as code, figures and English words. */
export function eligibility(w: CompiledCampaign, reason: Verdict, held: Verdict = null): EligibilityT {
  return {
    campaign: w.id,
    name: w.cfg.name,
    template: w.template,
    eligible: reason === null,
    reason: reason && reasonWords(reason),
    reason_code: reason?.code ?? null,
    reason_values: reason?.values ?? {},
    shows_now: reason === null && held === null,
    held_back: held && reasonWords(held),
    held_back_code: held?.code ?? null,
    held_back_values: held?.values ?? {},
  };
}
