/** Which D1 holds a site. Most sites share the `DB` binding; a big shop can be pinned to a binding
 * of its own (SiteSettings.database, README "A database per shop"). Every per-site read and write
 * asks this module for its database, so a pinned site's rows never touch the shared one. */
import type { SiteSettingsT } from '../contract';
import type { Bindings } from '../env';
import { ApiError } from '../lib/api-error';
import { getSite, listSiteIds } from './site-registry';

/** The shared database's binding: where a site without `database` keeps its rows. */
export const SHARED_DATABASE = 'DB';

type Env = Pick<Bindings, 'DB' | 'KV'>;

const isD1 = (value: unknown): value is D1Database =>
  typeof value === 'object' && value !== null && typeof (value as D1Database).prepare === 'function' && typeof (value as D1Database).batch === 'function';

/** The D1 binding called `name`, or null when the worker has none by that name (or it is not a D1 database). */
export function databaseBinding(env: Env, name: string): D1Database | null {
  // Bindings beyond DB are the operator's, named in wrangler.toml: they are not in the Bindings type.
  const value = name === SHARED_DATABASE ? env.DB : (env as unknown as Record<string, unknown>)[name];
  return isD1(value) ? value : null;
}

/** The database holding this site's rows. A site pinned to a binding the worker lacks (taken out of
 * wrangler.toml after the site was registered) fails loudly rather than writing to the shared one. */
export function siteDb(env: Env, site: Pick<SiteSettingsT, 'id' | 'database'>): D1Database {
  const name = site.database ?? SHARED_DATABASE;
  const db = databaseBinding(env, name);
  if (!db) {
    throw new ApiError(503, 'database_unavailable', `Site "${site.id}" keeps its data in the D1 binding ${name}, which this worker does not have. Add the binding back to wrangler.toml and deploy.`);
  }
  return db;
}

/** siteDb for callers that know only the site id (the cron's passes, the event writer). Settings
 * come from the registry's isolate cache; a site no longer registered has no database of its own. */
export async function siteDbById(env: Env, siteId: string): Promise<D1Database> {
  return siteDb(env, (await getSite(env.KV, siteId)) ?? { id: siteId });
}

export interface SiteDatabase {
  binding: string;
  db: D1Database;
}

/** Every database some site keeps rows in: the shared one first, then each binding a registered
 * site is pinned to. The cron's passes that look for work across sites go over each. */
export async function databasesInUse(env: Env): Promise<SiteDatabase[]> {
  const sites = await Promise.all((await listSiteIds(env.KV)).map((id) => getSite(env.KV, id)));
  const names = new Set([SHARED_DATABASE, ...sites.flatMap((s) => (s?.database ? [s.database] : []))]);
  const found: SiteDatabase[] = [];
  for (const binding of names) {
    const db = databaseBinding(env, binding);
    if (db) found.push({ binding, db });
    else console.error(`D1 binding ${binding} is named by a site but missing from this worker: its sites' cron work waits until it is back`);
  }
  return found;
}

/** Runs a cron pass over each database in use, one after another; a database whose pass fails is
 * logged and the others still get theirs. */
export async function forEachDatabase(env: Env, pass: (db: D1Database) => Promise<unknown>): Promise<void> {
  for (const { binding, db } of await databasesInUse(env)) {
    await pass(db).catch((err) => console.error(`cron pass over D1 binding ${binding} left for the next run`, err));
  }
}
