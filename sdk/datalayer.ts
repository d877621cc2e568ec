/** E-commerce and consent from a shop's existing `window.dataLayer`: GTM's `{event, ecommerce}`
 * pushes and gtag's `['event', name, params]` arguments, made before or after the SDK loaded.
 * What is not plain GA4 e-commerce (Universal Analytics shapes, WooCommerce's product click,
 * Consent Mode commands) is read by sdk-compat.js, loaded only when such an entry is seen; entries
 * keep their push order meanwhile. */
import { here, type CallContext } from './context';
import { guard } from './report';

/** GA4's e-commerce events carry `items` (the recommended ones: view_item_list, select_item,
 * view_item, add_to_cart, remove_from_cart, add_to_wishlist, view_cart, begin_checkout,
 * add_shipping_info, add_payment_info, purchase, ...); these may come without: a refund of the
 * whole order, PrestaShop's add_payment_info, and the events that are not e-commerce. */
const WITHOUT_ITEMS = /^(sign_up|login|search|refund|add_payment_info)$/;

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- shop data of any shape
export type Tracked = [name: string, props: Props];

/** An entry for sdk-compat.js: a Consent Mode command, WooCommerce's product click
 * (`select_content`), or a Universal Analytics push: classic e-commerce's `transactionId`, or UA's
 * product and transaction `id`s (enhanced e-commerce's `products`, `impressions`, `actionField`,
 * `promotions`; gtag.js UA items) with no GA4 `item_id` anywhere. */
export const needsCompat = (entry: unknown): boolean =>
  /"(consent|select_content|transactionId)"|^(?!.*"item_id").*"id":/.test(JSON.stringify(entry));

/** The tracked event a GA4 dataLayer entry stands for, or null when it is not one. Extra keys
 * (gtm.*, send_to, ...) pass along: the contract keeps event props open. Values go as the shop
 * pushed them: the collector types what GA4 tolerates (ids as numbers, prices as strings, null for
 * "no coupon"), so the SDK carries no code for it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever the page pushed
export function fromDataLayer(entry: any): Tracked | null {
  const gtag = entry?.[0] == 'event';
  const name = gtag ? entry[1] : entry?.event;
  // A GTM push that is not e-commerce ({event: 'login', method}) is its own props, `event` included.
  const props = { ...((gtag ? entry[2] : entry?.ecommerce || entry) as Props) };
  // Anything with items (a name that is not snake_case is refused by track() with one console warning), or an event that comes without.
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
   * taken through this chain, so none overtakes another. Everything runs guarded: a push the SDK
   * cannot read (a cyclic object) never throws into the shop's code. */
  let chain: Promise<Compat> | undefined;
  const take = (entry: Props, context = here()) => {
    const handle = guard((compat?: Compat): unknown => {
      if (entry?.call) return (entry as unknown as () => void)();
      if (needsCompat(entry)) {
        // The first entry that needs sdk-compat.js loads it; it and every later one wait for it.
        // Blocked or failed: what needed it is skipped, the rest goes on.
        if (!compat) return (chain = import(/* webpackIgnore: true */ /* @vite-ignore */ `${endpoint}/sdk-compat.js`).then((module: { default: Compat }) => module.default, () => () => []).then((loaded) => (handle(loaded), loaded)));
        // What sdk-compat.js returns is GA4 as the collector takes it (or a consent command).
        return compat(entry, layer).forEach(([event, props]) => on(event, props, context, entry[1] == 'default'));
      }
      const event = fromDataLayer(entry);
      if (event) on(...event, context);
    });
    if (chain) chain = chain.then((compat) => (handle(compat), compat));
    else handle();
  };
  // What is there already: consent commands first, then `first`, then everything in push order (the
  // consent commands again: a repeated default or update changes nothing).
  [...layer.filter(isConsent), first, ...layer].forEach((entry) => take(entry as Props));
  const push = layer.push;
  layer.push = function (...entries) {
    const result = push.apply(this, entries);
    entries.forEach((entry) => take(entry));
    return result;
  };
}
