import type { WidgetHost } from '../../sdk/widget-api';

export type Lang = WidgetHost['lang'];
export type CopyTable = Record<string, string>;
export interface CopyDefaults<K extends string = string> {
  ko: Record<K, string>;
  en: Record<K, string>;
}

/** Looks a key up in the config's copy for this language, falling back key by key to the
 * widget's built-in default, and fills `{name}` placeholders. The result is plain text: it is
 * always rendered as a text node, never as HTML. */
export type Translate<K extends string = string> = (key: K, vars?: Record<string, string | number>) => string;

export function translator<K extends string>(defaults: CopyDefaults<K>, configured: unknown, lang: Lang): Translate<K> {
  const own = (configured && typeof configured === 'object' ? (configured as Record<string, unknown>)[lang] : undefined) as Record<string, unknown> | undefined;
  return (key, vars) => {
    const value = own?.[key];
    const text = typeof value === 'string' && value.trim() !== '' ? value : defaults[lang][key];
    return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : text;
  };
}
