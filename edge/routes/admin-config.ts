import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ConfigRollbackRequest, SiteConfig } from '../contract';
import { listConfigVersions, readSiteConfig, rollbackSiteConfig, saveSiteConfig, type ConfigAuthor, type StoredConfig } from '../config/config-store';
import type { AppContext, AppEnv } from '../env';
import { ApiError, errorBody } from '../lib/api-error';
import { limitBody, SETTINGS_BODY_BYTES } from '../lib/body-limit';
import { readJsonBody } from '../lib/read-json-body';
import { describeIssues, listIssues } from '../lib/zod-issues';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { knownSite } from '../sites/known-site';
import { longestAttributionDays } from '../report/attribution';

const CONFIG_BODY_BYTES = 256 * 1024;

/** Who saved: the token's role, and the person when the admin UI says (X-Touchpoint-Actor). */
function authorOf(c: AppContext): ConfigAuthor {
  const actor = (c.req.header('X-Touchpoint-Actor') ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 100);
  return { role: c.get('adminRole'), actor: actor || null };
}

const view = ({ info, config }: StoredConfig) => ({ ...info, config });

export const adminConfig = new Hono<AppEnv>()
  .use('/v1/admin/sites/:site/config/*', requireSiteAdmin)
  .get('/v1/admin/sites/:site/config', async (c) => c.json(view(await readSiteConfig(c.env.KV, (await knownSite(c)).id))))
  /** Replaces the config. Omitted fields take their defaults; an invalid config is refused
   * whole, naming every error, and the current one stays. `If-Match: <version>` refuses to
   * overwrite a version saved since the caller read it. */
  .put(
    '/v1/admin/sites/:site/config',
    bodyLimit({
      maxSize: CONFIG_BODY_BYTES,
      onError: (c) => c.json(errorBody('body_too_large', `A config is at most ${CONFIG_BODY_BYTES / 1024} KB.`), 413),
    }),
    async (c) => {
      const settings = await knownSite(c);
      const site = settings.id;
      const parsed = SiteConfig.safeParse(await readJsonBody(c));
      if (!parsed.success) {
        const issues = listIssues(parsed.error);
        return c.json(
          { error: { code: 'invalid_config', message: `The config was not saved: ${describeIssues(parsed.error)}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}.`, issues } },
          400,
        );
      }
      const longest = longestAttributionDays(parsed.data);
      if (longest > settings.hot_window_days) {
        throw new ApiError(
          400,
          'attribution_beyond_hot_window',
          `The config was not saved: an attribution window of ${longest} days is longer than the site's hot window (hot_window_days: ${settings.hot_window_days}). Shorten the window or lengthen the hot window in the site settings first.`,
        );
      }
      const ifMatch = c.req.header('If-Match');
      const expectedVersion = ifMatch === undefined ? undefined : Number(ifMatch.replace(/"/g, ''));
      if (expectedVersion !== undefined && !Number.isInteger(expectedVersion)) {
        throw new ApiError(400, 'invalid_if_match', 'If-Match must be the version number the change was based on.');
      }
      const saved = await saveSiteConfig(c.env.KV, site, parsed.data, authorOf(c), expectedVersion === undefined ? {} : { expectedVersion });
      return c.json(view(saved));
    },
  )
  .get('/v1/admin/sites/:site/config/history', async (c) => {
    const site = (await knownSite(c)).id;
    const [current, versions] = await Promise.all([readSiteConfig(c.env.KV, site), listConfigVersions(c.env.KV, site)]);
    return c.json({ current: current.info.version, versions });
  })
  .post('/v1/admin/sites/:site/config/rollback', limitBody(SETTINGS_BODY_BYTES), async (c) => {
    const site = (await knownSite(c)).id;
    const body = ConfigRollbackRequest.safeParse(await readJsonBody(c));
    if (!body.success) throw new ApiError(400, 'invalid_rollback', `Send {"version": <number>}: ${describeIssues(body.error)}.`);
    return c.json(view(await rollbackSiteConfig(c.env.KV, site, body.data.version, authorOf(c))));
  });
