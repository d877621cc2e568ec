import type { SiteSettingsT } from '../contract';
import type { AppContext } from '../env';
import { ApiError } from '../lib/api-error';
import { getSite } from './site-registry';

/** The registered site an admin route's `:site` names, or 404. */
export async function knownSite(c: AppContext): Promise<SiteSettingsT> {
  const id = c.req.param('site') ?? '';
  const site = await getSite(c.env.KV, id);
  if (!site) throw new ApiError(404, 'unknown_site', `No site "${id}" is registered.`);
  return site;
}
