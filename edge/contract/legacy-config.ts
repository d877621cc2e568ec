import type { WidgetNameT } from './decision';

/** Configs saved before campaigns held one entry per widget (`widgets.<name>`). Read (from KV)
 * or sent (PUT) in that shape, each entry becomes a campaign whose id is the widget's name, so
 * the shopper history, holdout groups and report rows kept under that name carry on, and
 * nothing the site saved is lost. Widgets the old document left out took their defaults then and
 * do now. */

/** The widgets the older shape had, in its order, with the names their campaigns get. Templates
 * added since are not in it: an old config never ran them. */
const LEGACY_WIDGETS: Partial<Record<WidgetNameT, string>> = {
  signup_benefit: '가입 혜택 / Sign-up benefit',
  cart_reminder: '장바구니 리마인드 / Cart reminder',
  recommendations: '추천 상품 / Recommended products',
  review_prompt: '리뷰 요청 / Review request',
  marketing_consent: '마케팅 수신 동의 혜택 / Marketing consent benefit',
  interested_product: '관심 상품 넛지 / Interested-product nudge',
  welcome_back: '휴면 고객 웰컴백 / Welcome back',
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Returns the config in today's shape. What cannot be migrated (a widget name Touchpoint does not
 * know, or `widgets` sent beside `campaigns`) is left under `widgets`, where SiteConfig refuses it
 * by path together with every other error of the document. */
export function migrateLegacyConfig(raw: unknown): unknown {
  if (!isObject(raw) || !isObject(raw.widgets) || 'campaigns' in raw) return raw;
  const { widgets, ...rest } = raw;
  const known = Object.keys(LEGACY_WIDGETS);
  const unknown = Object.fromEntries(Object.entries(widgets).filter(([key]) => !known.includes(key)));
  const campaigns = Object.entries(LEGACY_WIDGETS).map(([name, title]) => {
    const entry = widgets[name];
    return { id: name, name: title, template: name, ...(isObject(entry) ? entry : {}) };
  });
  return { ...rest, campaigns, ...(Object.keys(unknown).length > 0 ? { widgets: unknown } : {}) };
}
