import type { ProductCardT } from '../contract';

/** A link from config made absolute against the page the widget shows on. */
export const absolute = (link: string | null, pageUrl: string): string | undefined => (link === null ? undefined : new URL(link, pageUrl).href);

/** A product as widgets show it. Only defined fields: the card is JSON, and absent reads better
 * than null for optional ones. */
export function card(fields: { item_id: string; name: string | null | undefined } & Partial<Record<'price' | 'quantity', number | null>> & Partial<Record<'currency' | 'image_url' | 'url', string | null>>): ProductCardT {
  const out: ProductCardT = { item_id: fields.item_id, name: fields.name || fields.item_id };
  if (typeof fields.price === 'number') out.price = fields.price;
  if (typeof fields.quantity === 'number') out.quantity = fields.quantity;
  if (fields.currency) out.currency = fields.currency;
  if (fields.image_url) out.image_url = fields.image_url;
  if (fields.url) out.url = fields.url;
  return out;
}
