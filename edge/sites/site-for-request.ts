import type { SiteSettingsT } from '../contract';
import type { AppContext } from '../env';
import { ApiError } from '../lib/api-error';
import { originAllowed } from './origin-match';
import { getSite } from './site-registry';

/** The site a public request names, checked against the browser's Origin. Requests without an
 * Origin (a shop's server, curl) are not cross-site and pass. */
export async function siteForRequest(c: AppContext, siteId: string): Promise<SiteSettingsT> {
  const site = await getSite(c.env.KV, siteId, (work) => c.executionCtx.waitUntil(work));
  if (!site) {
    throw new ApiError(404, 'unknown_site', `No site "${siteId}" is registered here. Check data-site on the script tag.`);
  }
  const origin = c.req.header('Origin');
  if (origin && !originAllowed(origin, site.allowed_origins)) {
    c.header('Access-Control-Allow-Origin', undefined);
    throw new ApiError(403, 'origin_not_allowed', `${origin} is not among the allowed origins of site "${siteId}". Add it in the site settings.`);
  }
  return site;
}
