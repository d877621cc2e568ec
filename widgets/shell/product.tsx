// Product display shared by the widgets that show products (cart, recommendations, reviews, nudge).
import { useState } from 'preact/hooks';
import type { ProductCardT } from '../../edge/contract';
import type { Lang } from './copy';
import { safeUrl } from './checks';

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

const formats = new Map<string, Intl.NumberFormat>();

/** A price as shoppers in that language read it: 12,000원 in Korean, ₩12,000 / $12.50 in English. */
export function formatPrice(amount: unknown, currency: unknown, lang: Lang): string | null {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return null;
  const code = typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? currency : 'KRW';
  if (lang === 'ko' && code === 'KRW') return `${Math.round(amount).toLocaleString('ko-KR')}원`;
  const key = `${lang}:${code}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.NumberFormat(lang === 'ko' ? 'ko-KR' : 'en-US', { style: 'currency', currency: code })));
  return format.format(amount);
}
