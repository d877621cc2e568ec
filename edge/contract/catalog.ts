import { z } from 'zod';
import { HttpUrl, Money, Text } from './primitives';

/** One product as a shop uploads it. Uploaded rows win over what browsers report. */
export const CatalogItem = z.object({
  item_id: Text(128).min(1, 'is required'),
  name: Text(300).min(1, 'is required'),
  price: Money.optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as KRW or USD').optional(),
  image_url: HttpUrl.optional(),
  url: HttpUrl.optional(),
  category: Text(200).optional(),
  brand: Text(200).optional(),
  /** false: sold out or withdrawn; kept, never recommended. */
  available: z.boolean().default(true),
  /** Days a shopper usually takes to need this product again (a 30-day supply: 30). Used for
   * repurchase reminders until enough repeat purchases teach the product's own cycle. */
  replenish_days: z.number().min(1).max(3650).optional(),
});
export type CatalogItemT = z.infer<typeof CatalogItem>;

export const CATALOG_UPLOAD_MAX_ITEMS = 1000;

/** PUT /v1/admin/sites/:site/catalog: adds or replaces these items (others stay). */
export const CatalogUpload = z.object({
  items: z.array(CatalogItem).min(1, 'must hold at least one item').max(CATALOG_UPLOAD_MAX_ITEMS, `must hold at most ${CATALOG_UPLOAD_MAX_ITEMS} items; upload in pages`),
});
