import { Hono } from 'hono';
import { Campaign, TEMPLATES, type TemplateGalleryT } from '../contract';
import { DEFAULT_JOURNEY } from '../contract/default-journey';
import type { AppEnv } from '../env';
import { requireSiteAdmin } from '../middleware/admin-auth';

/** The ready journey's campaigns and every template's defaults, complete (every default filled in),
 * from the contract, so the admin's gallery lists whatever templates this build has without
 * holding a copy of them. Never a site's own data: the same for every site. */

let gallery: TemplateGalleryT | null = null;

function buildGallery(): TemplateGalleryT {
  const journey = DEFAULT_JOURNEY.map((c) => Campaign.parse(structuredClone(c)));
  const templates = Object.keys(TEMPLATES).map((template) => Campaign.parse({ id: template, name: template, template }));
  return { journey, templates };
}

export const adminTemplates = new Hono<AppEnv>().get('/v1/admin/sites/:site/templates', requireSiteAdmin, (c) => {
  gallery ??= buildGallery();
  c.header('Cache-Control', 'private, max-age=300');
  return c.json(gallery);
});
