import { Hono } from 'hono';
import { z } from 'zod';
import { Campaign } from '../contract';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/api-error';
import { limitBody } from '../lib/body-limit';
import { requestTime } from '../lib/clock';
import { readJsonBody } from '../lib/read-json-body';
import { listIssues } from '../lib/zod-issues';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { createPreview, PREVIEW_PARAM } from '../preview/preview-store';
import { knownSite } from '../sites/known-site';

const PREVIEW_BODY_BYTES = 64 * 1024;
const PreviewRequest = z.strictObject({ campaign: z.unknown(), variant: z.string().max(32).optional() });

/** POST /v1/admin/sites/:site/preview {campaign, variant?}: a short-lived token that shows this
 * campaign (the variant chosen, or its first) on the shop page opened with ?tp_preview=<token>,
 * in the first browser that opens it (edge/preview/preview-store.ts). */
export const adminPreview = new Hono<AppEnv>().post('/v1/admin/sites/:site/preview', requireSiteAdmin, limitBody(PREVIEW_BODY_BYTES), async (c) => {
  const site = await knownSite(c);
  const body = PreviewRequest.safeParse(await readJsonBody(c));
  if (!body.success) throw new ApiError(400, 'invalid_preview', 'Send {"campaign": {...}, "variant": "<id>"}.');
  const parsed = Campaign.safeParse(body.data.campaign);
  if (!parsed.success) {
    const issues = listIssues(parsed.error);
    return c.json({ error: { code: 'invalid_campaign', message: `The campaign cannot be previewed: ${issues.map((i) => `${i.path}: ${i.message}`).slice(0, 5).join('; ')}.`, issues } }, 400);
  }
  const campaign = parsed.data;
  const variant = body.data.variant ? campaign.variants.find((v) => v.id === body.data.variant) : campaign.variants[0];
  if (!variant) throw new ApiError(400, 'invalid_preview', `The campaign has no variant "${body.data.variant}".`);
  // Only the chosen variant, always shown: a preview is not an experiment.
  const forced = { ...campaign, enabled: true, holdout_percent: 0, variants: [{ ...variant, weight: 1 }] };
  const { token, expires_at } = await createPreview(c.env.KV, site.id, forced, requestTime(c));
  c.header('Cache-Control', 'no-store');
  return c.json({ token, param: PREVIEW_PARAM, expires_at });
});
