/** A local mirror of the shopper's cart for the cart reminder, kept from add_to_cart,
 * remove_from_cart and purchase (which empties it). Stored as JSON under localStorage
 * `tp_cart`: `{items: [GA4 item with quantity], currency, updated_at}`. */
import { parse, type Kv } from './kv';

type Props = Record<string, unknown>;

export const CART_KEY = 'tp_cart';

export interface CartItem {
  item_id?: string;
  item_name?: string;
  item_variant?: string;
  price?: number;
  quantity: number;
  [field: string]: unknown;
}

export interface Cart {
  items: CartItem[];
  currency?: string;
  updated_at: number;
}

const lineKey = (item: Props) => `${item.item_id ?? item.item_name}|${item.item_variant}`;

/** The cart after an event, or null when the event does not touch the cart. */
export function applyToCart(cart: Cart, name: string, props: Props, now: number): Cart | null {
  const add = name == 'add_to_cart';
  if (!add && name != 'remove_from_cart' && name != 'purchase') return null;
  const lines = new Map(name == 'purchase' ? [] : cart.items.map((item) => [lineKey(item), item]));
  for (const item of add || name == 'remove_from_cart' ? (props.items as Props[]) || [] : []) {
    const key = lineKey(item);
    const held = lines.get(key)?.quantity || 0;
    // Quantities come as the shop pushed them: "2" is 2 (the collector types them the same way).
    const quantity = +(item.quantity as number) || (add ? 1 : held);
    const left = add ? held + quantity : held - quantity;
    if (left > 0) lines.set(key, { ...lines.get(key), ...item, quantity: left });
    else lines.delete(key);
  }
  return { items: [...lines.values()], currency: (props.currency as string) || cart.currency, updated_at: now };
}

export function readCart(kv: Kv): Cart {
  const cart = parse<Cart>(kv.get(CART_KEY));
  return Array.isArray(cart?.items) ? cart : { items: [], updated_at: 0 };
}

/** Item ids in the mirror, for widgets that must not offer what is already in the cart. */
export function cartItemIds(kv: Kv): string[] {
  return readCart(kv).items.flatMap((item) => (item.item_id ? [item.item_id] : []));
}

export function updateCart(kv: Kv, name: string, props: Props, now: number): void {
  const next = applyToCart(readCart(kv), name, props, now);
  if (next) kv.set(CART_KEY, JSON.stringify(next));
}
