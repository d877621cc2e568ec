import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { CatalogUpload, Text, type CatalogItemT } from '../contract';
import type { AppEnv } from '../env';
import { ApiError, errorBody } from '../lib/api-error';
import { readJsonBody } from '../lib/read-json-body';
import { describeIssues } from '../lib/zod-issues';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { knownSite } from '../sites/known-site';
import { siteDb } from '../sites/site-database';
import { boundLimit } from '../lib/sql-limit';

const UPLOAD_BYTES = 2 * 1024 * 1024;
/** Items per statement: one JSON parameter each, well under D1's 2 MB per value. */
const ITEMS_PER_STATEMENT = 200;

/** Uploaded values win; a field the upload leaves out keeps what browsers reported. */
const UPSERT_UPLOADED = `
INSERT INTO catalog (site, item_id, name, price, currency, image_url, url, category, brand, available, replenish_days, uploaded, updated_at)
SELECT ?1, i.value ->> '$.item_id', i.value ->> '$.name', i.value ->> '$.price', i.value ->> '$.currency',
       i.value ->> '$.image_url', i.value ->> '$.url', i.value ->> '$.category', i.value ->> '$.brand',
       i.value ->> '$.available', i.value ->> '$.replenish_days', 1, ?2
FROM json_each(?3) i WHERE true
ON CONFLICT (site, item_id) DO UPDATE SET
  name = excluded.name,
  price = COALESCE(excluded.price, price),
  currency = COALESCE(excluded.currency, currency),
  image_url = COALESCE(excluded.image_url, image_url),
  url = COALESCE(excluded.url, url),
  category = COALESCE(excluded.category, category),
  brand = COALESCE(excluded.brand, brand),
  replenish_days = COALESCE(excluded.replenish_days, replenish_days),
  available = excluded.available,
  uploaded = 1,
  updated_at = excluded.updated_at`;

interface CatalogRow {
  item_id: string;
  name: string | null;
  price: number | null;
  currency: string | null;
  image_url: string | null;
  url: string | null;
  category: string | null;
  brand: string | null;
  available: number;
  uploaded: number;
  updated_at: number;
}

const PAGE_MAX = 500;

export const adminCatalog = new Hono<AppEnv>()
  .put(
    '/v1/admin/sites/:site/catalog',
    requireSiteAdmin,
    bodyLimit({
      maxSize: UPLOAD_BYTES,
      onError: (c) => c.json(errorBody('body_too_large', `The body is over ${UPLOAD_BYTES} bytes. Upload the catalogue in pages.`), 413),
    }),
    async (c) => {
      const site = await knownSite(c);
      const upload = CatalogUpload.safeParse(await readJsonBody(c));
      if (!upload.success) throw new ApiError(400, 'invalid_catalog', describeIssues(upload.error));
      const items: CatalogItemT[] = upload.data.items;
      const now = Date.now();
      const db = siteDb(c.env, site);
      const statements: D1PreparedStatement[] = [];
      for (let i = 0; i < items.length; i += ITEMS_PER_STATEMENT) {
        statements.push(db.prepare(UPSERT_UPLOADED).bind(site.id, now, JSON.stringify(items.slice(i, i + ITEMS_PER_STATEMENT))));
      }
      await db.batch(statements);
      return c.json({ upserted: items.length });
    },
  )
  /** Pages through the catalogue by item id: `?after=<item_id>&limit=`. */
  .get('/v1/admin/sites/:site/catalog', requireSiteAdmin, async (c) => {
    const site = await knownSite(c);
    const after = Text(128).safeParse(c.req.query('after') ?? '');
    const limit = Math.min(PAGE_MAX, Math.max(1, Number(c.req.query('limit') ?? 100) || 100));
    if (!after.success) throw new ApiError(400, 'invalid_query', `after: ${describeIssues(after.error)}`);
    const { results } = await siteDb(c.env, site).prepare(
      `SELECT item_id, name, price, currency, image_url, url, category, brand, available, uploaded, updated_at
       FROM catalog WHERE site = ?1 AND item_id > ?2 ORDER BY item_id LIMIT ${boundLimit('?3')}`,
    )
      .bind(site.id, after.data, limit)
      .all<CatalogRow>();
    return c.json({
      items: results.map(({ available, uploaded, updated_at, ...row }) => ({
        ...row,
        available: available === 1,
        source: uploaded === 1 ? 'upload' : 'events',
        updated_at: new Date(updated_at).toISOString(),
      })),
      next_after: results.length === limit ? results[results.length - 1]!.item_id : null,
    });
  });
