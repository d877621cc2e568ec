import { Hono } from 'hono';
import { SiteId, SiteSettingsInput, SiteStaffInput, type SiteSettingsT, type SiteStaffT } from '../contract';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/api-error';
import { randomToken, sha256Hex } from '../lib/crypto';
import { limitBody, SETTINGS_BODY_BYTES } from '../lib/body-limit';
import { readJsonBody } from '../lib/read-json-body';
import { describeIssues } from '../lib/zod-issues';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { getSite, putSite } from '../sites/site-registry';
import { writeSiteClock } from '../sites/site-clock';
import { databaseBinding, SHARED_DATABASE, siteDb } from '../sites/site-database';
import { migrationsBehind } from '../sites/database-migrations';
import { readSiteConfig } from '../config/config-store';
import { longestAttributionDays } from '../report/attribution';

/** What is shown of a site's settings: never the token digest nor the identity secret, only whether there is one. */
const publicView = ({ admin_token_sha256, identity_secret, ...rest }: SiteSettingsT) => ({ ...rest, identity_verification: Boolean(identity_secret) });

/** The D1 binding a site is to be stored in, checked before anything is written: it must exist in
 * this worker and carry the schema, and it never changes once the site exists (its rows would
 * stay behind in the old database). Left out on an update, the current one stays. Returns
 * undefined for the shared database. */
async function checkedDatabase(env: AppEnv['Bindings'], site: string, requested: string | undefined, existing: SiteSettingsT | null): Promise<string | undefined> {
  const name = requested === undefined ? existing?.database : requested === SHARED_DATABASE ? undefined : requested;
  if (existing && name !== existing.database) {
    throw new ApiError(
      409,
      'database_fixed',
      `database: site "${site}" keeps its data in ${existing.database ?? SHARED_DATABASE}; it cannot be moved to ${name ?? SHARED_DATABASE} by a settings change. Moving a site is an export and import (README, "A database per shop").`,
    );
  }
  if (name === undefined) return undefined;
  const db = databaseBinding(env, name);
  if (!db) throw new ApiError(400, 'unknown_database', `database: this worker has no D1 binding called ${name}. Add it to wrangler.toml ([[d1_databases]] binding = "${name}"), deploy, then register the site.`);
  // The schema is checked when the site is created: an update must not wait on a rollout's migration order.
  if (existing) return name;
  const { behind, latest, expected } = await migrationsBehind(db, env.DB);
  if (behind) {
    throw new ApiError(
      409,
      'database_not_migrated',
      `database: ${name} has migrations up to ${latest ?? 'none'}, the shared DB up to ${expected}. Run \`wrangler d1 migrations apply <its database_name> --remote\` first.`,
    );
  }
  return name;
}

export const adminSites = new Hono<AppEnv>()
  .use('/v1/admin/sites/:site', requireSiteAdmin)
  .get('/v1/admin/sites/:site', async (c) => {
    const site = await getSite(c.env.KV, c.req.param('site'));
    if (!site) throw new ApiError(404, 'unknown_site', `No site "${c.req.param('site')}" is registered.`);
    return c.json(publicView(site));
  })
  /** Creates or updates a site. Operator only: a site's own token cannot widen its origins or rate. */
  .put('/v1/admin/sites/:site', limitBody(SETTINGS_BODY_BYTES), async (c) => {
    if (c.get('adminRole') !== 'operator') {
      throw new ApiError(403, 'operator_only', 'Creating or changing a site takes the operator token (ADMIN_TOKEN).');
    }
    const id = SiteId.safeParse(c.req.param('site'));
    if (!id.success) throw new ApiError(400, 'invalid_site_id', `Site id ${describeIssues(id.error)}.`);
    const input = SiteSettingsInput.safeParse(await readJsonBody(c));
    if (!input.success) throw new ApiError(400, 'invalid_settings', describeIssues(input.error));

    const longest = longestAttributionDays((await readSiteConfig(c.env.KV, id.data)).config);
    if (input.data.hot_window_days < longest) {
      throw new ApiError(
        400,
        'hot_window_too_short',
        `hot_window_days: ${input.data.hot_window_days} is shorter than the config's longest attribution window (${longest} days); raw events must stay in D1 at least that long.`,
      );
    }
    const existing = await getSite(c.env.KV, id.data);
    const { admin_token: requestedToken, identity_secret: secret, database: requestedDatabase, ...settings } = input.data;
    const database = await checkedDatabase(c.env, id.data, requestedDatabase, existing);
    const newToken = requestedToken ?? (existing?.admin_token_sha256 ? undefined : randomToken());
    const stored: SiteSettingsT = {
      ...settings,
      id: id.data,
      ...(database ? { database } : {}),
      admin_token_sha256: newToken ? await sha256Hex(newToken) : existing?.admin_token_sha256,
      identity_secret: secret === undefined ? existing?.identity_secret : (secret ?? undefined),
    };
    await putSite(c.env.KV, stored);
    // Ingest reads D1 only: it finds the shop's local day through this mirror of the time zone.
    await writeSiteClock(siteDb(c.env, stored), stored.id, stored.timezone);
    return c.json({ ...publicView(stored), ...(newToken && !requestedToken ? { admin_token: newToken } : {}) }, existing ? 200 : 201);
  })
  .use('/v1/admin/sites/:site/staff', requireSiteAdmin)
  /** Replaces the site's staff member ids. The site's own token may: the list only ever keeps the
   * staff's own events out of the data (edge/ingest/traffic-filter.ts), it widens nothing. */
  .put('/v1/admin/sites/:site/staff', limitBody(SETTINGS_BODY_BYTES), async (c) => {
    const existing = await getSite(c.env.KV, c.req.param('site'));
    if (!existing) throw new ApiError(404, 'unknown_site', `No site "${c.req.param('site')}" is registered.`);
    const input = SiteStaffInput.safeParse(await readJsonBody(c));
    if (!input.success) throw new ApiError(400, 'invalid_settings', `${describeIssues(input.error)}. Send {"staff_user_ids": ["member-id", ...]}.`);
    const staff: SiteStaffT = { staff_user_ids: [...new Set(input.data.staff_user_ids)] };
    await putSite(c.env.KV, { ...existing, ...staff });
    return c.json(staff);
  });
