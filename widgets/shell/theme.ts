/** Theme from config as CSS custom properties on the widget's root. Values are checked again here
 * (hex colours, a plain font list, a radius in px): config text never becomes arbitrary CSS. */
const COLOURS = [
  ['primary', '--tp-primary', '#111827'],
  ['on_primary', '--tp-on-primary', '#fff'],
  ['background', '--tp-bg', '#fff'],
  ['text', '--tp-text', '#111827'],
] as const;
const FONT = 'system-ui,-apple-system,"Apple SD Gothic Neo","Malgun Gothic",sans-serif';

export function themeStyle(theme: unknown): Record<string, string> {
  const t = (theme ?? {}) as Record<string, unknown>;
  const style: Record<string, string> = {};
  for (const [key, name, fallback] of COLOURS) style[name] = typeof t[key] === 'string' && /^#[0-9a-f]{3,8}$/i.test(t[key]) ? t[key] : fallback;
  style['--tp-radius'] = `${typeof t.radius === 'number' && t.radius >= 0 && t.radius <= 32 ? t.radius : 12}px`;
  style['--tp-font'] = typeof t.font === 'string' && /^[\w\s"',.-]{1,200}$/.test(t.font) ? t.font : FONT;
  return style;
}
