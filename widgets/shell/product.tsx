// Product display shared by the widgets that show products (cart, recommendations, reviews, nudge).
import { useState } from 'preact/hooks';
import type { ProductCardT } from '../../edge/contract';
import { safeUrl } from './checks';

// Prices go wherever products go: one chunk for both, not one more request for the price.
export { formatPrice } from './price';

/** A product image, or a quiet placeholder when there is none or it fails to load. Decorative
 * (alt=""): the product's name is always next to it as text. */
export function ProductImage({ item, class: className = 'tp-thumb' }: { item: Partial<ProductCardT>; class?: string }) {
  const src = safeUrl(item.image_url);
  const [failed, setFailed] = useState(false);
  return <span class={className}>{src && !failed ? <img src={src} alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer" onError={() => setFailed(true)} /> : null}</span>;
}

/** Items from props, kept to the ones a widget can show: an id and a name that are strings. */
export function validItems(items: unknown, max = 50): ProductCardT[] {
  if (!Array.isArray(items)) return [];
  return items
    .filter((i): i is ProductCardT => !!i && typeof i === 'object' && typeof i.item_id === 'string' && typeof i.name === 'string' && i.name.trim() !== '')
    .slice(0, max);
}
