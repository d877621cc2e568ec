import type { CampaignT, SiteConfigT, WidgetNameT } from '../contract';

/** A site config turned into what decisions evaluate fast: enabled campaigns in priority order,
 * schedule times as numbers, URL patterns as regular expressions, and which shopper facts any
 * campaign reads (so decide reads only those). Compiled once per config object, which the
 * config cache keeps for CONFIG_CACHE_MS. */

export type UrlMatcher = (url: URL) => boolean;

export interface CompiledCampaign {
  /** The campaign id. */
  id: string;
  template: WidgetNameT;
  cfg: CampaignT;
  start: number | null;
  end: number | null;
  include: UrlMatcher[];
  exclude: UrlMatcher[];
}

/** Facts beyond the profile row that enabled campaigns read. */
export interface FactNeeds {
  /** Order times, for the personal churn risk (audiences, or the site's at_risk model). */
  orderTimes: boolean;
  coupons: boolean;
  repurchase: boolean;
  surveys: boolean;
}

export interface CompiledConfig {
  config: SiteConfigT;
  /** Enabled campaigns, highest priority first (ties: their order in the config). */
  campaigns: CompiledCampaign[];
  needs: FactNeeds;
}

/** `*` matches anything. "/..." patterns match the path (with the query when they hold "?"), others the whole URL. */
export function urlMatcher(pattern: string): UrlMatcher {
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  const re = new RegExp(`^${source}$`, 'i');
  if (!pattern.startsWith('/')) return (url) => re.test(url.href);
  return pattern.includes('?') ? (url) => re.test(url.pathname + url.search) : (url) => re.test(url.pathname);
}

export function compileCampaign(cfg: CampaignT): CompiledCampaign {
  return {
    id: cfg.id,
    template: cfg.template,
    cfg,
    start: cfg.schedule.start ? Date.parse(cfg.schedule.start) : null,
    end: cfg.schedule.end ? Date.parse(cfg.schedule.end) : null,
    include: cfg.audience.url_include.map(urlMatcher),
    exclude: cfg.audience.url_exclude.map(urlMatcher),
  };
}

const compiled = new WeakMap<SiteConfigT, CompiledConfig>();

export function compileConfig(config: SiteConfigT): CompiledConfig {
  const hit = compiled.get(config);
  if (hit) return hit;
  const campaigns = config.campaigns
    .map((cfg, order) => ({ cfg, order }))
    .filter(({ cfg }) => cfg.enabled)
    .sort((a, b) => b.cfg.priority - a.cfg.priority || a.order - b.order)
    .map(({ cfg }) => compileCampaign(cfg));
  const uses = (test: (c: CampaignT) => boolean) => campaigns.some((c) => test(c.cfg));
  const needs: FactNeeds = {
    orderTimes: config.stages.at_risk_model === 'churn_risk' || uses((c) => c.audience.churn_risk.min !== null || c.audience.churn_risk.max !== null),
    // The welcome and benefit-expiry cards show the member's coupons; replenishment its due product.
    coupons: uses((c) => c.audience.coupons_expiring !== null || c.template === 'welcome' || c.template === 'benefit_expiry'),
    repurchase: uses((c) => c.audience.repurchase_due !== null || c.template === 'replenishment'),
    // A survey campaign reads its own answers: answered ones are not asked again (recontact).
    surveys: uses((c) => c.audience.survey_answers.length > 0 || c.template === 'survey'),
  };
  const result = { config, campaigns, needs };
  compiled.set(config, result);
  return result;
}
