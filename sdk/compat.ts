/** sdk-compat.js: the dataLayer entries that are not plain GA4 e-commerce, loaded by
 * datalayer.ts only when one is seen. It returns GA4 events (every e-commerce one with `items`, as
 * the collector takes them), tracked as they are.
 *
 * Google Consent Mode v2 commands (`['consent', 'default'|'update', params]`) become Touchpoint
 * categories: analytics from `analytics_storage`; marketing from the ad signals (`ad_storage`,
 * `ad_user_data`, `ad_personalization`), granted only if none of those given is denied. A category
 * no signal speaks of is left as it is.
 *
 * WooCommerce's product click (`select_content` with `content_type: 'product'`) is `select_item`.
 *
 * Universal Analytics e-commerce pushes are translated to their GA4 equivalents, the way Google's
 * own tags do, so a shop on an older plugin (GTM4WP 1.16, MagePal, WooCommerce Google Analytics
 * 1.8) works with zero code:
 *
 * - enhanced e-commerce `ecommerce.impressions | click | detail | add | remove | checkout |
 *   purchase | refund | promoView | promoClick` with `products[]` and `actionField`;
 * - classic e-commerce `transactionId` + `transactionProducts[]` (MagePal's order success);
 * - gtag.js items with `id`, `name`, `category`... (gtag's UA-era item shape). */
import type { Tracked } from './datalayer';
import type { ConsentUpdate } from './types';

type Props = Record<string, unknown>;

const isObject = (value: unknown): value is Props => !!value && typeof value == 'object';

/** GA4's e-commerce event names: a GA4-named push with UA items (gtag.js UA-era, or GTM) keeps its name. */
const GA4_ECOMMERCE = /^(refund|(view|select)_promotion|add_(shipping|payment)_info|view_item(_list)?|select_item|add_to_(cart|wishlist)|remove_from_cart|view_cart|begin_checkout|purchase)$/;

const ITEM_FIELDS: Record<string, string> = {
  id: 'item_id',
  sku: 'item_id',
  name: 'item_name',
  brand: 'item_brand',
  category: 'item_category',
  variant: 'item_variant',
  list: 'item_list_name',
  list_name: 'item_list_name',
  position: 'index',
  list_position: 'index',
};

/** A UA productFieldObject (or gtag UA item) as a GA4 item; unknown fields pass along. */
const toItem = (product: unknown): Props =>
  Object.fromEntries(Object.entries(isObject(product) ? product : {}).map(([key, value]) => [ITEM_FIELDS[key] && !(ITEM_FIELDS[key]! in (product as Props)) ? ITEM_FIELDS[key]! : key, value]));

const items = (list: unknown) => (Array.isArray(list) ? list.map(toItem) : []);

/** `actionField` of a purchase or refund: GA4's transaction fields. Revenue is read, but the edge
 * stores the items total as revenue (see README, Integrating a shop). */
const transaction = (action: Props): Props => ({
  transaction_id: action.id,
  affiliation: action.affiliation,
  value: action.revenue,
  tax: action.tax,
  shipping: action.shipping,
  coupon: action.coupon,
});

function enhanced(ecommerce: Props): Tracked[] {
  const currency = ecommerce.currencyCode;
  const out: Tracked[] = [];
  const push = (name: string, props: Props) => out.push([name, { currency, ...props }]);
  const action = (key: string) => (isObject(ecommerce[key]) ? (ecommerce[key] as Props) : undefined);
  const field = (key: string): Props => (isObject(action(key)?.actionField) ? (action(key)!.actionField as Props) : {});

  if (Array.isArray(ecommerce.impressions)) push('view_item_list', { items: items(ecommerce.impressions), item_list_name: (ecommerce.impressions[0] as Props | undefined)?.list });
  if (action('click')) push('select_item', { items: items(action('click')!.products), item_list_name: field('click').list });
  if (action('detail')) push('view_item', { items: items(action('detail')!.products) });
  if (action('add')) push('add_to_cart', { items: items(action('add')!.products) });
  if (action('remove')) push('remove_from_cart', { items: items(action('remove')!.products) });
  // GA4 has one checkout event: the first step is it; later steps (shipping, payment options) name
  // no GA4 event of their own in UA, so they are not tracked.
  if (action('checkout') && +(field('checkout').step ?? 1) <= 1) push('begin_checkout', { items: items(action('checkout')!.products) });
  if (action('purchase')) push('purchase', { ...transaction(field('purchase')), items: items(action('purchase')!.products) });
  if (action('refund')) push('refund', { ...transaction(field('refund')), ...(Array.isArray(action('refund')!.products) && { items: items(action('refund')!.products) }) });
  for (const [key, name] of [['promoView', 'view_promotion'], ['promoClick', 'select_promotion']] as const) {
    const promotion = (action(key)?.promotions as Props[] | undefined)?.[0];
    if (isObject(promotion)) push(name, { promotion_id: promotion.id, promotion_name: promotion.name, creative_name: promotion.creative, creative_slot: promotion.position });
  }
  return out;
}

export function fromConsentMode(params: Props = {}): ConsentUpdate {
  const ads = ['ad_storage', 'ad_user_data', 'ad_personalization'].filter((key) => params[key]);
  return {
    analytics: params.analytics_storage ? params.analytics_storage == 'granted' : undefined,
    marketing: ads[0] ? ads.every((key) => params[key] == 'granted') : undefined,
  };
}

/** Where the last Consent Mode update is kept (every page's banner script pushes it again). */
export const GCM_KEY = 'tp_gcm';

/** A default always counts (it is the page's starting point). An update counts when it differs
 * from the last one the banner pushed: banners push the stored choice again on every page, and that
 * repetition must not undo a choice the shop gave through touchpoint('consent', …) meanwhile; a
 * shopper who changes their mind in the banner is heard. */
function consentCommand(isDefault: boolean, update: ConsentUpdate): Tracked[] {
  if (isDefault) return [['consent', update]];
  const text = JSON.stringify(update);
  try {
    if (localStorage.getItem(GCM_KEY) == text) return [];
    localStorage.setItem(GCM_KEY, text);
  } catch {
    // No storage: every update counts.
  }
  return [['consent', update]];
}

/** What an entry stands for: GA4 events, or `['consent', update]` for a Consent Mode command.
 * `layer`: the dataLayer; a page that also pushes GA4 e-commerce (GTM4WP 1.16 pushes every event
 * in both shapes) is read as GA4, so its enhanced e-commerce objects are twins and are skipped. A
 * GA4-named push with UA items keeps its name, its items translated. */
export default function fromCompat(entry: unknown, layer: unknown[] = []): Tracked[] {
  return translate(entry, layer).map(([name, props]) => [name, name == 'consent' || props.items ? props : { ...props, items: [] }]);
}

function translate(entry: unknown, layer: unknown[]): Tracked[] {
  if (!isObject(entry)) return [];
  const ga4 = layer.some((other) => isObject(other) && isObject(other.ecommerce) && Array.isArray(other.ecommerce.items));
  if (entry[0] == 'consent') return consentCommand(entry[1] == 'default', fromConsentMode(entry[2] as Props));
  if (entry[0] == 'event') {
    const params: Props = isObject(entry[2]) ? entry[2] : {};
    if (entry[1] == 'select_content') {
      // WooCommerce GA 2.x: content_type + content_id; 1.8: items.
      return params.items || params.content_type == 'product' ? [['select_item', { ...params, items: params.items ? items(params.items) : [{ item_id: params.content_id }] }]] : [];
    }
    return GA4_ECOMMERCE.test(String(entry[1])) ? [[String(entry[1]), { ...params, items: items(params.items) }]] : [];
  }
  if ('transactionId' in entry) {
    return [
      [
        'purchase',
        {
          transaction_id: entry.transactionId,
          affiliation: entry.transactionAffiliation,
          value: entry.transactionTotal,
          tax: entry.transactionTax,
          shipping: entry.transactionShipping,
          coupon: entry.transactionCouponCode,
          currency: entry.transactionCurrency,
          items: items(entry.transactionProducts),
        },
      ],
    ];
  }
  if (!isObject(entry.ecommerce)) return [];
  const translated = enhanced(entry.ecommerce);
  if (translated[0]) return ga4 ? [] : translated;
  const ecommerce = entry.ecommerce;
  return GA4_ECOMMERCE.test(String(entry.event)) ? [[String(entry.event), { ...ecommerce, ...(Array.isArray(ecommerce.items) && { items: items(ecommerce.items) }) }]] : [];
}
