import { SiteConfig, type ConfigVersionInfoT, type SiteConfigT } from '../contract';
import { ApiError } from '../lib/api-error';
import { listIssues } from '../lib/zod-issues';
import { readParsedKv, type ParsedKv } from '../lib/kv-parsed';
import { TtlCache, type Defer } from '../lib/ttl-cache';

/** How long an isolate trusts its copy of a site's marketing config: a change reaches every
 * decision within this time (plus KV's own propagation between locations, up to 60 s). */
export const CONFIG_CACHE_MS = 10_000;

/** KV layout: `config:<site>` is the current version; `config:<site>:v:<version>` keeps every
 * version (its metadata is the version info, so history is one list call). Versions are
 * numbered by read-then-write: two saves at the same instant may take the same number, and the
 * later one wins. Marketers save by hand, so this is accepted rather than paying for a lock. */
const currentKey = (site: string) => `config:${site}`;
const versionPrefix = (site: string) => `config:${site}:v:`;
const versionKey = (site: string, version: number) => `${versionPrefix(site)}${String(version).padStart(8, '0')}`;

export interface StoredConfig {
  info: ConfigVersionInfoT;
  config: SiteConfigT;
}

const DEFAULT_INFO: ConfigVersionInfoT = { version: 0, updated_at: null, role: 'default', actor: null, note: null };

const cache = new TtlCache<ParsedKv<StoredConfig>>(CONFIG_CACHE_MS);

/** A stored config is parsed again on read, so fields added to the schema later get their
 * defaults and a config of the one-entry-per-widget shape becomes campaigns (legacy-config.ts).
 * One that no longer parses switches every campaign off rather than guessing. */
function fromStored(site: string, text: string | null): StoredConfig {
  if (text === null) return { info: DEFAULT_INFO, config: SiteConfig.parse({}) };
  const raw = JSON.parse(text) as { info: ConfigVersionInfoT; config: unknown };
  const parsed = SiteConfig.safeParse(raw.config);
  if (parsed.success) return { info: raw.info, config: parsed.data };
  console.error(`site ${site}: stored config v${raw.info.version} is invalid; campaigns are off`, listIssues(parsed.error));
  const off = SiteConfig.parse({});
  for (const campaign of off.campaigns) campaign.enabled = false;
  return { info: raw.info, config: off };
}

async function readCurrent(kv: KVNamespace, site: string): Promise<StoredConfig> {
  return fromStored(site, await kv.get(currentKey(site), 'text'));
}

/** The config decisions use: from this isolate's cache when it is younger than CONFIG_CACHE_MS
 * (with `defer`, a request's waitUntil, up to twice that while a refresh runs: TtlCache). */
export async function getSiteConfig(kv: KVNamespace, site: string, now = Date.now(), defer?: Defer): Promise<StoredConfig> {
  // Parsed again only when the stored text changed (the parse was the slowest decisions' work, once per TTL).
  return (await cache.get(site, (previous) => readParsedKv(kv, currentKey(site), previous, (text) => fromStored(site, text)), now, defer)).value;
}

/** The current config, read from KV (admin reads must not show a stale copy). */
export function readSiteConfig(kv: KVNamespace, site: string): Promise<StoredConfig> {
  return readCurrent(kv, site);
}

export interface ConfigAuthor {
  role: 'operator' | 'site';
  actor: string | null;
}

/** Stores a validated config as the next version and makes it current. */
export async function saveSiteConfig(
  kv: KVNamespace,
  site: string,
  config: SiteConfigT,
  author: ConfigAuthor,
  options: { now?: number; expectedVersion?: number; note?: string } = {},
): Promise<StoredConfig> {
  const current = await readCurrent(kv, site);
  if (options.expectedVersion !== undefined && options.expectedVersion !== current.info.version) {
    throw new ApiError(409, 'version_conflict', `The config is at version ${current.info.version}, not ${options.expectedVersion}: someone saved in between. Reload it and apply your change again.`);
  }
  const info: ConfigVersionInfoT = {
    version: current.info.version + 1,
    updated_at: options.now ?? Date.now(),
    role: author.role,
    actor: author.actor,
    note: options.note ?? null,
  };
  const stored = JSON.stringify({ info, config });
  await kv.put(versionKey(site, info.version), stored, { metadata: info });
  await kv.put(currentKey(site), stored);
  cache.delete(site);
  return { info, config };
}

/** Every saved version, newest first. */
export async function listConfigVersions(kv: KVNamespace, site: string): Promise<ConfigVersionInfoT[]> {
  const versions: ConfigVersionInfoT[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list<ConfigVersionInfoT>({ prefix: versionPrefix(site), ...(cursor ? { cursor } : {}) });
    for (const key of page.keys) if (key.metadata) versions.push(key.metadata);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return versions.sort((a, b) => b.version - a.version);
}

/** Makes an old version current again, as a new version (history is never rewritten). */
export async function rollbackSiteConfig(kv: KVNamespace, site: string, version: number, author: ConfigAuthor, now?: number): Promise<StoredConfig> {
  const raw = await kv.get<{ info: ConfigVersionInfoT; config: unknown }>(versionKey(site, version), 'json');
  if (!raw) throw new ApiError(404, 'unknown_version', `Site "${site}" has no config version ${version}. GET .../config/history lists them.`);
  const parsed = SiteConfig.safeParse(raw.config);
  if (!parsed.success) {
    const issues = listIssues(parsed.error).map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new ApiError(409, 'version_not_valid', `Version ${version} no longer passes validation (${issues}); PUT a corrected config instead.`);
  }
  return saveSiteConfig(kv, site, parsed.data, author, { ...(now !== undefined ? { now } : {}), note: `rollback to ${version}` });
}
