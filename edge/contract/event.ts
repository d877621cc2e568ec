import { z } from 'zod';
import { LIMITS } from './limits';
import { ClientId, EpochMs, HttpUrl, Money, Text, UserHash } from './primitives';
import { SHOP_EVENT_PROPS } from './shop-events';
import { compileCheck, compileParse, INVALID } from './compiled-parse';

/** GA4 e-commerce item, plus the two fields Touchpoint reads when present (image_url, url).
 * Loose: GA4 items carry more (index, discount, coupon, item_list_id, ...) and shops send them. */
export const Item = z
  .object({
    item_id: Text(128).min(1).optional(),
    item_name: Text(300).optional(),
    price: Money.optional(),
    /** Fractional where a shop sells by weight or length (Magento's qty_ordered 1.5). */
    quantity: z.number().min(0).max(100_000).optional(),
    item_category: Text(200).optional(),
    item_brand: Text(200).optional(),
    item_variant: Text(200).optional(),
    image_url: HttpUrl.optional(),
    url: HttpUrl.optional(),
  })
  .loose()
  .refine((item) => item.item_id !== undefined || item.item_name !== undefined, {
    message: 'needs item_id or item_name',
  });

const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as KRW or USD');
const Items = z.array(Item).max(LIMITS.itemsPerEvent, `must hold at most ${LIMITS.itemsPerEvent} items`);

const Commerce = z.object({ currency: Currency.optional(), value: Money.optional(), items: Items }).loose();
const Promotion = Commerce.extend({
  items: Items.optional(),
  promotion_id: Text(128).optional(),
  promotion_name: Text(300).optional(),
  creative_name: Text(300).optional(),
  creative_slot: Text(128).optional(),
});
const Transaction = Commerce.extend({
  transaction_id: Text(128).min(1, 'is required'),
  tax: Money.optional(),
  shipping: Money.optional(),
  coupon: Text(128).optional(),
});

const PageType = z.enum(['home', 'category', 'product', 'cart', 'checkout', 'order_complete', 'search', 'account', 'other']);

const WidgetEvent = z
  .object({ decision_id: ClientId, widget: Text(64).min(1), variant: Text(64).optional() })
  .loose();

const Stars = z.number().int('must be a whole number').min(1, 'must be 1 to 5').max(5, 'must be 1 to 5');

/** Props schema per known event name. Names not listed here are custom events with free props. */
export const EVENT_PROPS = {
  page_view: z
    .object({ title: Text(500).optional(), referrer: Text(2048).optional(), page_type: PageType.optional() })
    .loose(),
  view_item: Commerce,
  view_item_list: Commerce.extend({ item_list_id: Text(128).optional(), item_list_name: Text(300).optional() }),
  select_item: Commerce,
  add_to_cart: Commerce,
  remove_from_cart: Commerce,
  view_cart: Commerce,
  begin_checkout: Commerce,
  // Items optional: PrestaShop sends add_payment_info with the payment type only.
  add_shipping_info: Commerce.extend({ items: Items.optional(), coupon: Text(128).optional(), shipping_tier: Text(128).optional() }),
  add_payment_info: Commerce.extend({ items: Items.optional(), coupon: Text(128).optional(), payment_type: Text(128).optional() }),
  add_to_wishlist: Commerce,
  view_promotion: Promotion,
  select_promotion: Promotion,
  purchase: Transaction,
  refund: Transaction.extend({ items: Items.optional() }),
  sign_up: z.object({ method: Text(64).optional() }).loose(),
  login: z.object({ method: Text(64).optional() }).loose(),
  search: z.object({ search_term: Text(500) }).loose(),
  consent_update: z
    .object({ analytics: z.boolean(), marketing: z.boolean(), source: Text(32).optional() })
    .loose(),
  widget_impression: WidgetEvent,
  widget_click: WidgetEvent,
  widget_dismiss: WidgetEvent,
  widget_submit: WidgetEvent,
  review_submit: z
    .object({
      decision_id: ClientId.optional(),
      item_id: Text(128).min(1),
      rating: Stars,
      text: Text(4000).optional(),
    })
    .loose(),
  lead_submit: z
    .object({
      decision_id: ClientId.optional(),
      email: z.email('must be an email address').max(254),
      marketing_consent: z.boolean(),
    })
    .loose(),
  /** Server-side only (POST /v1/admin/sites/:site/events), but harmless to validate everywhere. */
  order_delivered: z.object({ transaction_id: Text(128).min(1), items: Items.optional() }).loose(),
  ...SHOP_EVENT_PROPS,
} as const;

export type KnownEventName = keyof typeof EVENT_PROPS;

/** Events whose amounts are in a currency: stored in the site's currency when they name none. */
export const COMMERCE_EVENTS: ReadonlySet<string> = new Set(
  Object.entries(EVENT_PROPS).flatMap(([name, schema]) => ('currency' in schema.shape ? [name] : [])),
);
export const KNOWN_EVENT_NAMES = Object.keys(EVENT_PROPS) as KnownEventName[];

export const EventName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be snake_case, starting with a letter, at most 40 characters');

const CustomProps = z.record(z.string().max(64), z.unknown());

/** Props arrive as parsed JSON, whose keys are strings: checked as an object here and validated
 * by the event's own schema below. A `z.record` over them walked every key and value a second time
 * (and copied the object) for nothing — every event comes through here. */
const PropsObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'must be a JSON object of the event\'s properties',
);

/** An event's fields; its props are then checked by its own schema (`Event`). */
const EventFields = z.object({
  id: ClientId,
  name: EventName,
  ts: EpochMs,
  anon_id: ClientId,
  user_id: Text(128).min(1).optional(),
  /** Proof of `user_id` from the shop's server; checked on sites with an identity secret, never stored. */
  user_hash: UserHash.optional(),
  session_id: ClientId,
  /** The browser's own count of its events (across tabs and reloads): the order events happened
   * in, where timestamps tie (pushes made before the SDK loaded, back-to-back pushes). */
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  url: HttpUrl,
  props: PropsObject.default({}),
});

/** The props schema of an event name; hasOwn: a name such as "constructor" must not find Object.prototype's members. */
const propsSchemaOf = (name: string) => (Object.hasOwn(EVENT_PROPS, name) ? EVENT_PROPS[name as KnownEventName] : CustomProps);
const propsTooLarge = (props: Record<string, unknown>) => JSON.stringify(props).length > LIMITS.propsBytes;

/** One event as the browser (or a shop's server) sends it. */
export const Event = EventFields.superRefine((event, ctx) => {
  const parsed = propsSchemaOf(event.name).safeParse(event.props);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: ['props', ...issue.path] } as never);
    return;
  }
  if (propsTooLarge(event.props)) {
    ctx.addIssue({ code: 'custom', path: ['props'], message: `must be at most ${LIMITS.propsBytes} bytes of JSON` });
  }
});

const compiledFields = compileParse(EventFields);
const compiledProps = new Map<string, (props: unknown) => boolean>();
const compiledPropsOf = (name: string) => {
  const key = Object.hasOwn(EVENT_PROPS, name) ? name : '';
  let check = compiledProps.get(key);
  if (!check) compiledProps.set(key, (check = compileCheck(propsSchemaOf(name))));
  return check;
};

/** The event as `Event` parses it, when the compiled parsers (./compiled-parse.ts) take it; else
 * INVALID, and zod is asked why. */
export function compiledEvent(raw: unknown): TrackedEvent | typeof INVALID {
  const event = compiledFields(raw);
  if (event === INVALID || !compiledPropsOf(event.name)(event.props) || propsTooLarge(event.props)) return INVALID;
  return event;
}

/** `Event.safeParse`, answered without zod for an event the compiled parsers take: every event the
 * collector reads comes through here, and refused ones still get zod's issues. */
export function parseEvent(raw: unknown): z.ZodSafeParseResult<TrackedEvent> {
  const event = compiledEvent(raw);
  return event === INVALID ? Event.safeParse(raw) : { success: true, data: event };
}

export type TrackedEvent = z.infer<typeof Event>;

export type ItemT = z.infer<typeof Item>;
export type PageTypeT = z.infer<typeof PageType>;
export { PageType };

/** Props type of a known event, for the SDK's typed `track()`. */
export type EventProps<N extends KnownEventName> = z.input<(typeof EVENT_PROPS)[N]>;
