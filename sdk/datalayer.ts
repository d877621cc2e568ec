/** E-commerce and consent from a shop's existing `window.dataLayer`: GTM's `{event, ecommerce}`
 * pushes and gtag's `['event', name, params]` arguments, made before or after the SDK loaded.
 * What is not plain GA4 e-commerce (Universal Analytics shapes, WooCommerce's product click,
 * Consent Mode commands) is read by sdk-compat.js, loaded only when such an entry is seen; entries
 * keep their push order meanwhile. */
import { here, type CallContext } from './context';
import { guard } from './report';

/** GA4's e-commerce events carry `items` (the recommended ones: view_item_list, select_item,
 * view_item, add_to_cart, remove_from_cart, add_to_wishlist, view_cart, begin_checkout,
 * add_shipping_info, add_payment_info, purchase, ...); these are the ones that may come without. */
const WITHOUT_ITEMS = /^(sign_up|login|search|refund|(view|select)_promotion|add_(shipping|payment)_info)$/;

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- shop data of any shape
export type Tracked = [name: string, props: Props];

/** An entry for sdk-compat.js: a Consent Mode command, a Universal Analytics push (an `ecommerce`
 * object without GA4's `items`, classic e-commerce's `transactionId`, gtag.js items with UA's
 * `id`) or WooCommerce's product click (`select_content`). GA4 pushes without items (a refund, a
 * promotion) take the same way: sdk-compat.js passes them through. */
export const needsCompat = (entry: Props): boolean =>
  entry?.ecommerce ? !entry.ecommerce.items : /"(consent"|select_content"|transactionId":|id":)/.test(JSON.stringify(entry));

/** The tracked event a GA4 dataLayer entry stands for, or null when it is not one. Extra keys
 * (gtm.*, send_to, ...) pass along: the contract keeps event props open. Values go as the shop
 * pushed them: the collector types what GA4 tolerates (ids as numbers, prices as strings, null for
 * "no coupon"), so the SDK carries no code for it. */
export function fromDataLayer(entry: Props): Tracked | null {
  const gtag = entry?.[0] == 'event';
  const name = gtag ? entry[1] : entry?.event;
  // `event: undefined` goes when the props are copied as JSON.
  const props = { ...((gtag ? entry[2] : entry?.ecommerce || { ...entry, event: undefined }) as Props) };
  return props.items || WITHOUT_ITEMS.test(name) ? [name, props] : null;
}

/** What an entry stands for, with the time and page it was pushed on: an event, or for a Consent
 * Mode command `consent` with the update and `isDefault` (`default`, else `update`). */
export type OnEntry = (name: string, props: Props, context: CallContext, isDefault?: boolean) => void;

type Compat = typeof import('./compat').default;

const isConsent = (entry: Props) => entry?.[0] == 'consent';

/** Takes what the dataLayer holds and every later push. `first` runs after the consent commands
 * already there were read (they decide whether the first page view may be recorded) and before its
 * other entries. `endpoint` serves sdk-compat.js. */
export function watchDataLayer(name: string, endpoint: string, on: OnEntry, first: () => void): void {
  const w = window as unknown as Record<string, Props[]>;
  const layer = (w[name] = w[name] || []);
  /** sdk-compat.js while it loads and after: every entry from the first one that needed it on is
   * taken through this chain, so none overtakes another. */
  let chain: Promise<Compat> | undefined;
  const take = (entry: Props, context = here()) => {
    // Blocked or failed: what needed it is skipped, the rest goes on.
    if (!chain && needsCompat(entry)) chain = import(/* webpackIgnore: true */ /* @vite-ignore */ `${endpoint}/sdk-compat.js`).then((module: { default: Compat }) => module.default, () => () => []);
    const handle = guard((compat?: Compat) => {
      if (entry?.call) return (entry as unknown as () => void)();
      // What sdk-compat.js returns is GA4 as the collector takes it (or a consent command).
      if (compat && needsCompat(entry)) return compat(entry, layer).forEach(([event, props]) => on(event, props, context, entry[1] == 'default'));
      const event = fromDataLayer(entry);
      if (event) on(...event, context);
    });
    if (chain) chain = chain.then((compat) => (handle(compat), compat));
    else handle();
  };
  const existing = [...layer];
  // Consent commands first, then `first`, then the rest, each in push order (sort is stable).
  [first, ...existing].sort((a, b) => +isConsent(b) - +isConsent(a)).forEach((entry) => take(entry as Props));
  const push = layer.push;
  layer.push = function (...entries) {
    const result = push.apply(this, entries);
    entries.forEach((entry) => take(entry));
    return result;
  };
}
