import type { Lang } from './copy';

const formats = new Map<string, Intl.NumberFormat>();

/** A price as shoppers in that language read it: 12,000원 in Korean, ₩12,000 / $12.50 in English.
 * Won (no minor unit) is grouped here: the first Intl call of a page loads locale data, tens of
 * milliseconds on a phone, between the trigger and the prompt on screen. */
export function formatPrice(amount: unknown, currency: unknown, lang: Lang): string | null {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return null;
  const code = typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? currency : 'KRW';
  if (code === 'KRW') {
    const won = String(Math.abs(Math.round(amount))).replace(/\B(?=(\d{3})+$)/g, ',');
    return (amount < 0 ? '-' : '') + (lang === 'ko' ? `${won}원` : `₩${won}`);
  }
  const key = `${lang}:${code}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.NumberFormat(lang === 'ko' ? 'ko-KR' : 'en-US', { style: 'currency', currency: code })));
  return format.format(amount);
}
