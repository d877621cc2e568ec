import { Hono } from 'hono';
import { WebhookSettingsInput } from '../contract';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/api-error';
import { limitBody, SETTINGS_BODY_BYTES } from '../lib/body-limit';
import { readJsonBody } from '../lib/read-json-body';
import { describeIssues } from '../lib/zod-issues';
import { checkWebhookUrl } from '../handoff/destination';
import { newWebhookSecret } from '../handoff/standard-webhooks';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { getWebhookSettings, putWebhookSettings } from '../reviews/webhook-settings';
import { knownSite } from '../sites/known-site';

/** Where a site's reviews and hand-offs are POSTed, and the secret their signatures are made with. */
export const adminWebhooks = new Hono<AppEnv>()
  .get('/v1/admin/sites/:site/webhooks', requireSiteAdmin, async (c) => {
    const site = await knownSite(c);
    return c.json((await getWebhookSettings(c.env.KV, site.id)) ?? { reviews_url: null, handoff_url: null, secret: null });
  })
  .put('/v1/admin/sites/:site/webhooks', requireSiteAdmin, limitBody(SETTINGS_BODY_BYTES), async (c) => {
    const site = await knownSite(c);
    const input = WebhookSettingsInput.safeParse(await readJsonBody(c));
    if (!input.success) throw new ApiError(400, 'invalid_webhooks', describeIssues(input.error));
    const existing = await getWebhookSettings(c.env.KV, site.id);
    const handoffUrl = input.data.handoff_url === undefined ? (existing?.handoff_url ?? null) : input.data.handoff_url;
    const allowLocal = c.env.ALLOW_LOCAL_WEBHOOKS === 'allow';
    const refused = (['reviews_url', 'handoff_url'] as const).flatMap((field) => {
      const url = field === 'reviews_url' ? input.data.reviews_url : handoffUrl;
      const check = url === null ? null : checkWebhookUrl(url, allowLocal);
      return check && !check.ok ? [`${field}: ${check.reason}`] : [];
    });
    if (refused.length) throw new ApiError(400, 'invalid_webhooks', refused.join('; '));
    const settings = {
      reviews_url: input.data.reviews_url,
      handoff_url: handoffUrl,
      secret: !existing || input.data.rotate_secret ? newWebhookSecret() : existing.secret,
    };
    await putWebhookSettings(c.env.KV, site.id, settings);
    return c.json(settings);
  });
