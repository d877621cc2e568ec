import type { CampaignOf, VariantT, WidgetPropsOf } from '../contract';
import { absolute, card } from './product-card';
import { reasonWords } from './reasons';
import * as content from './touchpoints';
import type { Outcome, ShopperView, TouchpointContent, TouchpointTemplate } from './touchpoints';

/** The touch points' widget props (edge/contract/widget-props.ts), from what touchpoints.ts found
 * for the shopper: the same answer the decision's content check read. */

type Base = { copy: VariantT['copy']; theme: Record<string, unknown> };
type Where = { page: string; currency: string };

/** The decision checked this already, on the same facts: an answer without content is a bug. */
function found<T extends TouchpointTemplate>(id: string, outcome: Outcome<T>): TouchpointContent[T] {
  if ('reason' in outcome) throw new Error(`touchpoint ${id} decided without content: ${reasonWords(outcome.reason)}`);
  return outcome.content as TouchpointContent[T];
}

const tierBenefit = (benefits: CampaignOf<'membership_tier'>['settings']['benefits'], tier: string | undefined) => benefits.find((b) => b.tier === tier)?.benefit;

export function touchpointProps(c: CampaignOf<TouchpointTemplate>, base: Base, v: ShopperView, where: Where): Record<string, unknown> {
  const link = (url: string) => absolute(url, where.page);
  switch (c.template) {
    case 'welcome': {
      const { offer } = found(c.id, content.welcome(c, v));
      return { ...base, cta_url: link(c.settings.cta_url), offer } satisfies Omit<WidgetPropsOf<'welcome'>, 'copy' | 'theme'> & Base;
    }
    case 'benefit_expiry': {
      const { coupon } = found(c.id, content.benefitExpiry(c, v));
      return { ...base, cta_url: link(c.settings.cta_url), coupon } satisfies Omit<WidgetPropsOf<'benefit_expiry'>, 'copy' | 'theme'> & Base;
    }
    case 'second_purchase': {
      const { mode } = found(c.id, content.secondPurchase(c, v));
      const offer = c.settings.offer_code ? { code: c.settings.offer_code } : undefined;
      return { ...base, cta_url: link(c.settings.cta_url), mode, offer } satisfies Omit<WidgetPropsOf<'second_purchase'>, 'copy' | 'theme'> & Base;
    }
    case 'stamp_mission': {
      const { stamps } = found(c.id, content.stampMission(c, v));
      const s = c.settings;
      return { ...base, cta_url: link(s.cta_url), stamps, goal: s.goal, rewards: [...s.rewards].sort((a, b) => a.at - b.at) } satisfies Omit<WidgetPropsOf<'stamp_mission'>, 'copy' | 'theme'> & Base;
    }
    case 'membership_tier': {
      const t = found(c.id, content.membershipTier(c, v));
      const benefit = tierBenefit(c.settings.benefits, t.mode === 'close' ? t.next_tier : t.tier);
      return { ...base, ...t, cta_url: link(c.settings.cta_url), currency: where.currency, ...(benefit ? { benefit } : {}) } satisfies Omit<WidgetPropsOf<'membership_tier'>, 'copy' | 'theme'> & Base;
    }
    case 'points': {
      const p = found(c.id, content.points(c, v));
      return { ...base, ...p, cta_url: link(c.settings.cta_url) } satisfies Omit<WidgetPropsOf<'points'>, 'copy' | 'theme'> & Base;
    }
    case 'replenishment': {
      const { product, details } = found(c.id, content.replenishment(c, v));
      const s = c.settings;
      // The id goes into the link encoded, before the link is resolved against the page.
      const add = s.add_to_cart_url.split('{item_id}').join(encodeURIComponent(product.item_id));
      const item = card({ item_id: product.item_id, name: product.item_name, price: details?.price, currency: details?.currency ?? where.currency, image_url: details?.image_url, url: details?.url });
      return { ...base, item, due_at: product.due_at, add_to_cart_url: link(add), cart_url: link(s.cart_url) } satisfies Omit<WidgetPropsOf<'replenishment'>, 'copy' | 'theme'> & Base;
    }
  }
}
