/** GA4 e-commerce from a shop's existing `window.dataLayer`: GTM's `{event, ecommerce}` pushes
 * and gtag's `['event', name, params]` arguments, made before or after the SDK loaded. */
import { guard } from './report';

const GA4_EVENTS = 'view_item view_item_list select_item add_to_cart remove_from_cart view_cart begin_checkout purchase refund sign_up login search'.split(' ');

type Props = Record<string, unknown>;

const isObject = (value: unknown): value is Props => !!value && typeof value == 'object';
/** GA4 takes "19.99" for a price and 42 for an item id; the collector wants them typed. */
const typed = (props: Props, numbers: string[], strings: string[] = []): Props => {
  const out = { ...props };
  for (const key of numbers) if (typeof out[key] == 'string' && out[key] && isFinite(out[key] as never)) out[key] = +out[key];
  for (const key of strings) if (typeof out[key] == 'number') out[key] = String(out[key]);
  return out;
};

/** The tracked event a dataLayer entry stands for, or null when it is not GA4 e-commerce.
 * Extra keys (gtm.*, send_to, ...) pass along: the contract keeps event props open. */
export function fromDataLayer(entry: unknown): [name: string, props: Props] | null {
  if (!isObject(entry)) return null;
  const gtag = entry[0] == 'event';
  const name = gtag ? entry[1] : entry.event;
  const params = gtag ? entry[2] : isObject(entry.ecommerce) ? entry.ecommerce : { ...entry, event: undefined };
  if (!GA4_EVENTS.includes(name as string)) return null;
  const props = typed(isObject(params) ? params : {}, ['value', 'tax', 'shipping']);
  if (Array.isArray(props.items)) props.items = props.items.filter(isObject).map((item) => typed(item, ['price', 'quantity'], ['item_id', 'item_name']));
  return [name as string, props];
}

/** Tracks what is already in the dataLayer, then every later push. */
export function watchDataLayer(name: string, track: (name: string, props: Props) => void): void {
  const w = window as unknown as Record<string, unknown[]>;
  const layer = (w[name] = w[name] || []);
  const take = guard((entry: unknown) => {
    const event = fromDataLayer(entry);
    if (event) track(...event);
  });
  layer.forEach(take);
  const push = layer.push;
  layer.push = function (...entries) {
    const result = push.apply(this, entries);
    entries.forEach(take);
    return result;
  };
}
