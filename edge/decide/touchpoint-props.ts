import type { CampaignOf, VariantT, WidgetPropsOf } from '../contract';
import { absolute, card } from './product-card';
import { touchpointContent, type ShopperView, type TouchpointTemplate } from './touchpoints';

/** The touch points' widget props (edge/contract/widget-props.ts), from what touchpointContent
 * found for the shopper: the same answer the decision's content check read. */

type Base = { copy: VariantT['copy']; theme: Record<string, unknown> };

const benefitFor = (benefits: CampaignOf<'membership_tier'>['settings']['benefits'], tier: string | undefined) => benefits.find((b) => b.tier === tier)?.benefit;

export function touchpointProps(c: CampaignOf<TouchpointTemplate>, base: Base, v: ShopperView, where: { page: string; currency: string }): Record<string, unknown> {
  const outcome = touchpointContent(c, v);
  // The decision checked this already; a shopper whose facts changed in between gets nothing shown.
  if ('reason' in outcome) throw new Error(`touchpoint ${c.id} decided without content: ${outcome.reason}`);
  const content = outcome.content;
  switch (c.template) {
    case 'welcome': {
      const { offer } = content as { offer?: { code: string } };
      return { ...base, cta_url: absolute(c.settings.cta_url, where.page), offer };
    }
    case 'benefit_expiry': {
      const { coupon } = content as { coupon: WidgetPropsOf<'benefit_expiry'>['coupon'] };
      return { ...base, cta_url: absolute(c.settings.cta_url, where.page), coupon };
    }
    case 'second_purchase': {
      const { mode } = content as { mode: 'first_order' | 'wakeup' };
      return { ...base, cta_url: absolute(c.settings.cta_url, where.page), mode, offer: c.settings.offer_code ? { code: c.settings.offer_code } : undefined };
    }
    case 'stamp_mission': {
      const { stamps } = content as { stamps: number };
      const s = c.settings;
      return { ...base, cta_url: absolute(s.cta_url, where.page), stamps, goal: s.goal, rewards: [...s.rewards].sort((a, b) => a.at - b.at) };
    }
    case 'membership_tier': {
      const t = content as WidgetPropsOf<'membership_tier'>;
      const s = c.settings;
      const benefit = benefitFor(s.benefits, t.mode === 'close' ? t.next_tier : t.tier);
      return { ...base, ...t, cta_url: absolute(s.cta_url, where.page), currency: where.currency, ...(benefit ? { benefit } : {}) };
    }
    case 'points': {
      return { ...base, ...(content as object), cta_url: absolute(c.settings.cta_url, where.page) };
    }
    case 'replenishment': {
      const { product, details } = content as { product: { item_id: string; item_name: string | null; due_at: number }; details?: { price?: number | null; currency?: string | null; image_url?: string | null; url?: string | null } };
      const s = c.settings;
      // The id goes into the link as a path or query part, encoded, before the link is resolved.
      const add = s.add_to_cart_url.split('{item_id}').join(encodeURIComponent(product.item_id));
      const item = card({ item_id: product.item_id, name: product.item_name, price: details?.price, currency: details?.currency ?? where.currency, image_url: details?.image_url, url: details?.url });
      return { ...base, item, due_at: product.due_at, add_to_cart_url: absolute(add, where.page), cart_url: absolute(s.cart_url, where.page) };
    }
  }
}
