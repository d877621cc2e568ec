// Shared by the journey's touch-point cards (welcome, benefit expiry, second purchase, stamps,
// tier, points, replenishment): numbers and dates as shoppers read them, the two actions every
// card ends with, and the placement (inline in a slot, else a modal).
import type { Lang } from './copy';
import type { Placement, WidgetContext } from './define-widget';
import { safeUrl } from './checks';

/** 12,345 — grouped by hand, like prices: no Intl locale data to load before the card paints. */
export function groupDigits(n: unknown): string | null {
  if (typeof n !== 'number' || !Number.isFinite(n)) return null;
  return (n < 0 ? '-' : '') + String(Math.abs(Math.round(n))).replace(/\B(?=(\d{3})+$)/g, ',');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A day in the shopper's own time zone: "12월 31일" / "Dec 31". */
export function formatDay(ms: unknown, lang: Lang): string | null {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return lang === 'ko' ? `${d.getMonth() + 1}월 ${d.getDate()}일` : `${MONTHS[d.getMonth()]} ${d.getDate()}`;
}

/** Time left until `ms`: whole days and the hours beyond them (at least 1 hour while it has not
 * passed). Never rounded up: "1 day left" is not said of 47 hours. */
export function timeLeft(ms: unknown, now: number): { days: number; hours: number } | null {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= now) return null;
  const hours = Math.max(1, Math.floor((ms - now) / 3_600_000));
  return { days: Math.floor(hours / 24), hours: hours % 24 };
}

/** Words from config in both languages ({ko, en}): the page's, as text. */
export function wordsFor(words: unknown, lang: Lang): string | null {
  const text = words && typeof words === 'object' ? (words as Record<string, unknown>)[lang] : undefined;
  return typeof text === 'string' && text.trim() ? text : null;
}

export const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);

export const cardPlacement = (_props: unknown, slot: HTMLElement | null): Placement => (slot ? 'inline' : 'modal');

/** The card's main link (tracked as a click) and "later" (a dismissal). */
export function CardActions<K extends string>({ ctx, url, cta, later }: { ctx: WidgetContext<unknown, K>; url: unknown; cta: string; later: string }) {
  const href = safeUrl(url);
  return (
    <div class="tp-actions">
      {href ? <a class="tp-button" href={href} onClick={() => ctx.track('widget_click', { target: 'cta', url: href })}>{cta}</a> : null}
      <button type="button" class={href ? 'tp-link-button' : 'tp-button'} onClick={() => ctx.close('later')}>{later}</button>
    </div>
  );
}
