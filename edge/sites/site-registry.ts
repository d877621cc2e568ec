import { SiteSettings, type SiteSettingsT } from '../contract';
import { readParsedKv, type ParsedKv } from '../lib/kv-parsed';
import { TtlCache, type Defer } from '../lib/ttl-cache';

/** How long an isolate trusts its copy of a site's settings. Changes take at most this long. */
export const SITE_CACHE_MS = 10_000;

const cache = new TtlCache<ParsedKv<SiteSettingsT | null>>(SITE_CACHE_MS);
const key = (site: string) => `site:${site}`;

function parseSite(site: string, text: string | null): SiteSettingsT | null {
  if (text === null) return null;
  const parsed = SiteSettings.safeParse(JSON.parse(text));
  if (!parsed.success) {
    console.error(`site ${site}: stored settings are invalid`, parsed.error.issues);
    return null;
  }
  return parsed.data;
}

/** `defer` (a request's waitUntil) lets a just-expired copy answer while it refreshes (TtlCache). */
export async function getSite(kv: KVNamespace, site: string, defer?: Defer): Promise<SiteSettingsT | null> {
  // Parsed again only when the stored text changed (every collect and decide reads the settings).
  return (await cache.get(site, (previous) => readParsedKv(kv, key(site), previous, (text) => parseSite(site, text)), Date.now(), defer)).value;
}

export async function putSite(kv: KVNamespace, settings: SiteSettingsT): Promise<void> {
  await kv.put(key(settings.id), JSON.stringify(settings));
  cache.delete(settings.id);
}

/** Every registered site id (the cron's walk over sites). */
export async function listSiteIds(kv: KVNamespace): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix: 'site:', cursor });
    for (const k of page.keys) ids.push(k.name.slice('site:'.length));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return ids;
}
