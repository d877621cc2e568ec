import { WIDGET_NAMES, type SiteConfigT, type WidgetConfigT, type WidgetNameT } from '../contract';

/** A site config turned into what decisions evaluate fast: widgets in priority order, schedule
 * times as numbers, URL patterns as regular expressions. Compiled once per config object, which
 * the config cache keeps for CONFIG_CACHE_MS. */

export type UrlMatcher = (url: URL) => boolean;

export interface CompiledWidget {
  name: WidgetNameT;
  cfg: WidgetConfigT;
  start: number | null;
  end: number | null;
  include: UrlMatcher[];
  exclude: UrlMatcher[];
}

export interface CompiledConfig {
  config: SiteConfigT;
  /** Enabled widgets, highest priority first (ties: the order of WIDGET_NAMES). */
  widgets: CompiledWidget[];
}

/** `*` matches anything. "/..." patterns match the path (with the query when they hold "?"), others the whole URL. */
export function urlMatcher(pattern: string): UrlMatcher {
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  const re = new RegExp(`^${source}$`, 'i');
  if (!pattern.startsWith('/')) return (url) => re.test(url.href);
  return pattern.includes('?') ? (url) => re.test(url.pathname + url.search) : (url) => re.test(url.pathname);
}

const compiled = new WeakMap<SiteConfigT, CompiledConfig>();

export function compileConfig(config: SiteConfigT): CompiledConfig {
  const hit = compiled.get(config);
  if (hit) return hit;
  const widgets = WIDGET_NAMES.map((name) => ({ name, cfg: config.widgets[name] as WidgetConfigT }))
    .filter((w) => w.cfg.enabled)
    .map(({ name, cfg }, order) => ({
      name,
      cfg,
      order,
      start: cfg.schedule.start ? Date.parse(cfg.schedule.start) : null,
      end: cfg.schedule.end ? Date.parse(cfg.schedule.end) : null,
      include: cfg.audience.url_include.map(urlMatcher),
      exclude: cfg.audience.url_exclude.map(urlMatcher),
    }))
    .sort((a, b) => b.cfg.priority - a.cfg.priority || a.order - b.order)
    .map(({ order: _order, ...w }) => w);
  const result = { config, widgets };
  compiled.set(config, result);
  return result;
}
