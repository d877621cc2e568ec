import type { CampaignOf, CampaignT, ShopDataT, StageT } from '../contract';
import { DAY_MS, HOUR_MS } from '../lib/time';
import { because, type Reason } from './reasons';
import { dueProducts, type PurchasedProduct, type RepurchaseFact } from './repurchase';
import type { ShopperFacts } from './shopper-facts';
import type { CouponRow, VisitorState } from './visitor-state';

/** What the journey's touch points (issue 16) have to say to one shopper, or why they have
 * nothing: the decision's content check (engine) and the widget's props (props.ts) read the same
 * answer, so a card is never decided without what it shows. Tier and points come only from the
 * shop's server (`tier_updated`, `points_updated`): missing, or older than the campaign's
 * `max_data_age_hours`, they are not shown at all rather than shown wrong. */

export const TOUCHPOINT_TEMPLATES = ['welcome', 'benefit_expiry', 'second_purchase', 'stamp_mission', 'membership_tier', 'points', 'replenishment'] as const;
export type TouchpointTemplate = (typeof TOUCHPOINT_TEMPLATES)[number];

export interface ShopperView {
  state: VisitorState;
  shop: ShopperFacts;
  stage: StageT;
  now: number;
}

export interface CouponContent {
  code: string;
  benefit?: string;
  expires_at?: number;
}

export interface TouchpointContent {
  welcome: { offer?: CouponContent };
  benefit_expiry: { coupon: CouponContent & { expires_at: number } };
  second_purchase: { mode: 'first_order' | 'wakeup' };
  stamp_mission: { stamps: number };
  membership_tier: { mode: 'close' | 'drop' | 'up'; tier: string; next_tier?: string; amount_to_next?: number; drops_at?: number; as_of: number };
  points: { mode: 'expiring' | 'unused'; balance: number; expiring?: { amount: number; expires_at: number }; as_of: number };
  replenishment: { product: RepurchaseFact; details: PurchasedProduct | undefined };
}

export type Outcome<T extends TouchpointTemplate> = { reason: Reason } | { content: TouchpointContent[T] };

const coupon = (c: CouponRow): CouponContent => ({ code: c.code, ...(c.benefit ? { benefit: c.benefit } : {}), ...(c.expires_at !== null ? { expires_at: c.expires_at } : {}) });

/** Why the shop's data is not fit to show: never sent, or older than the campaign allows. */
function staleness(what: ShopDataT, updatedAt: number | null | undefined, maxHours: number, now: number): Reason | null {
  if (updatedAt === null || updatedAt === undefined) return because('shop_data_missing', { what });
  const hours = (now - updatedAt) / HOUR_MS;
  return hours > maxHours ? because('shop_data_stale', { what, hours: Math.floor(hours), max: maxHours }) : null;
}

export function welcome(c: CampaignOf<'welcome'>, v: ShopperView): Outcome<'welcome'> {
  const open = v.state.coupons.find((x) => x.expires_at === null || x.expires_at >= v.now);
  const offer = open ? coupon(open) : c.settings.offer_code ? { code: c.settings.offer_code } : undefined;
  return { content: offer ? { offer } : {} };
}

export function benefitExpiry(c: CampaignOf<'benefit_expiry'>, v: ShopperView): Outcome<'benefit_expiry'> {
  const window = c.audience.coupons_expiring?.within_days;
  const until = window === undefined ? Infinity : v.now + window * DAY_MS;
  const soonest = v.state.coupons
    .filter((x): x is CouponRow & { expires_at: number } => x.expires_at !== null && x.expires_at >= v.now && x.expires_at <= until)
    .sort((a, b) => a.expires_at - b.expires_at)[0];
  return soonest ? { content: { coupon: { ...coupon(soonest), expires_at: soonest.expires_at } } } : { reason: because('no_coupon_expiring_soon') };
}

export function secondPurchase(_c: CampaignOf<'second_purchase'>, v: ShopperView): Outcome<'second_purchase'> {
  const p = v.state.profile;
  if (v.stage === 'wakeup') {
    if (p?.returned_at != null && p.last_purchase_at !== null && p.last_purchase_at >= p.returned_at) return { reason: because('ordered_since_return') };
    return { content: { mode: 'wakeup' } };
  }
  if (v.shop.orders !== 1) return { reason: because('not_one_order', { orders: v.shop.orders }) };
  return { content: { mode: 'first_order' } };
}

export function stampMission(c: CampaignOf<'stamp_mission'>, v: ShopperView): Outcome<'stamp_mission'> {
  const p = v.state.profile;
  let stamps = v.shop.orders;
  if (c.settings.stamps_from === 'shop') {
    const stale = staleness('stamps', p?.stamps != null ? p.stamps_updated_at : null, c.settings.max_data_age_hours, v.now);
    if (stale || p?.stamps == null) return { reason: stale ?? because('shop_data_missing', { what: 'stamps' }) };
    stamps = p.stamps;
  }
  if (stamps < 1) return { reason: because('no_stamp_yet') };
  if (stamps >= c.settings.goal) return { reason: because('stamp_card_complete') };
  return { content: { stamps } };
}

export function membershipTier(c: CampaignOf<'membership_tier'>, v: ShopperView): Outcome<'membership_tier'> {
  const p = v.state.profile;
  const s = c.settings;
  const stale = staleness('tier', p?.tier ? p.tier_updated_at : null, s.max_data_age_hours, v.now);
  if (stale || !p?.tier || p.tier_updated_at === null) return { reason: stale ?? because('shop_data_missing', { what: 'tier' }) };
  const base = { tier: p.tier, as_of: p.tier_updated_at };
  if (p.tier_drops_at !== null && p.tier_drops_at >= v.now && p.tier_drops_at <= v.now + s.drop_within_days * DAY_MS) return { content: { ...base, mode: 'drop', drops_at: p.tier_drops_at } };
  if (p.tier_rose === 1 && p.tier_changed_at !== null && p.tier_changed_at >= v.now - s.congrats_days * DAY_MS) return { content: { ...base, mode: 'up' } };
  if (p.next_tier && p.amount_to_next_tier !== null && p.amount_to_next_tier > 0 && p.amount_to_next_tier <= s.close_amount) {
    return { content: { ...base, mode: 'close', next_tier: p.next_tier, amount_to_next: p.amount_to_next_tier } };
  }
  return { reason: because('tier_nothing_to_say') };
}

export function points(c: CampaignOf<'points'>, v: ShopperView): Outcome<'points'> {
  const p = v.state.profile;
  const s = c.settings;
  const stale = staleness('points', p?.points_balance != null ? p.points_updated_at : null, s.max_data_age_hours, v.now);
  if (stale || p?.points_balance == null || p.points_updated_at === null) return { reason: stale ?? because('shop_data_missing', { what: 'points' }) };
  const balance = p.points_balance;
  const base = { balance, as_of: p.points_updated_at };
  const until = v.now + s.expiring_within_days * DAY_MS;
  const soon = v.shop.points_expiring.filter((e) => e.amount > 0 && e.expires_at >= v.now && e.expires_at <= until);
  if (soon.length > 0 && balance > 0) {
    const first = Math.min(...soon.map((e) => e.expires_at));
    // The points expiring on the first date, never more than the balance the server sent.
    const amount = Math.min(balance, soon.filter((e) => e.expires_at === first).reduce((sum, e) => sum + e.amount, 0));
    return { content: { ...base, mode: 'expiring', expiring: { amount, expires_at: first } } };
  }
  if (balance > 0 && balance >= s.min_balance) return { content: { ...base, mode: 'unused' } };
  return { reason: because('points_nothing_to_say', { days: s.expiring_within_days, min: s.min_balance }) };
}

export function replenishment(c: CampaignOf<'replenishment'>, v: ShopperView): Outcome<'replenishment'> {
  const inCart = new Set(v.state.cart.map((l) => l.item_id));
  const due = dueProducts(v.shop.repurchase, v.now, c.audience.repurchase_due ?? { days_before: 3, days_after: 14 }).find((f) => !inCart.has(f.item_id));
  if (!due) return { reason: because('no_replenishment_due') };
  return { content: { product: due, details: v.state.purchased.find((x) => x.item_id === due.item_id) } };
}

export const isTouchpoint = (c: CampaignT): c is CampaignOf<TouchpointTemplate> => (TOUCHPOINT_TEMPLATES as readonly string[]).includes(c.template);

export function touchpointContent(c: CampaignOf<TouchpointTemplate>, v: ShopperView): Outcome<TouchpointTemplate> {
  switch (c.template) {
    case 'welcome':
      return welcome(c, v);
    case 'benefit_expiry':
      return benefitExpiry(c, v);
    case 'second_purchase':
      return secondPurchase(c, v);
    case 'stamp_mission':
      return stampMission(c, v);
    case 'membership_tier':
      return membershipTier(c, v);
    case 'points':
      return points(c, v);
    case 'replenishment':
      return replenishment(c, v);
  }
}
