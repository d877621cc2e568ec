import type { SiteConfigT } from '../contract';
import { DAY_MS } from '../lib/time';

/** Attribution: a conversion (TEMPLATE_GOALS in edge/contract/campaign.ts says which events count
 * for which template) is credited to every report_visitors row of the same shopper and a campaign of that template whose
 * last click is at most `click_days` before it, or whose last exposure (impression; for the
 * holdout group, the decision) is at most `impression_days` before it. The windows are taken
 * from the config when the shopper is decided for and kept on the row, so ingest needs no config. */

export interface Windows {
  click_ms: number;
  view_ms: number;
}

const windowsOf = new WeakMap<SiteConfigT, Readonly<Record<string, Windows>>>();

/** Each campaign's windows (its own, else the site's), by campaign id. Once per config object:
 * every decision asks, and an isolate keeps one config object until the site's config changes. */
export function attributionWindows(config: SiteConfigT): Readonly<Record<string, Windows>> {
  let out = windowsOf.get(config);
  if (out) return out;
  const windows: Record<string, Windows> = {};
  for (const campaign of config.campaigns) {
    const w = campaign.attribution ?? config.attribution;
    windows[campaign.id] = { click_ms: Math.round(w.click_days * DAY_MS), view_ms: Math.round(w.impression_days * DAY_MS) };
  }
  windowsOf.set(config, (out = windows));
  return out;
}

/** The longest attribution window of a config, in days (the site's and every campaign's own):
 * the hot window (site setting hot_window_days) may not be shorter. */
export function longestAttributionDays(config: SiteConfigT): number {
  const windows = [config.attribution, ...config.campaigns.map((c) => c.attribution ?? config.attribution)];
  return Math.max(...windows.flatMap((w) => [w.click_days, w.impression_days]));
}
