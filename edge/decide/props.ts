import type { StageT, VariantT, WidgetPropsOf } from '../contract';
import type { CompiledCampaign } from './compile-config';
import type { DecideContext } from './engine';
import { absolute, card } from './product-card';
import { touchpointProps } from './touchpoint-props';
import type { ShopperFacts } from './shopper-facts';
import { interestedProduct, reviewableFor, type CartLine, type ProductCandidate, type ReviewCandidate } from './visitor-state';

/** A widget's input (edge/contract/widget-props.ts), built on the edge from config and the
 * shopper's profile: the variant's copy in both languages (the widget picks the page's and falls
 * back key by key to its own), the site theme with the variant's overrides, and what the widget
 * shows. Links from config are made absolute against the page. Text from events and the
 * catalogue is passed as data; widgets render it as text. */

const cartCard = (l: CartLine) => card({ ...l, name: l.item_name });
const productCard = (p: ProductCandidate) => card({ ...p, name: p.item_name });
const reviewCard = (r: ReviewCandidate) => card({ ...r, name: r.item_name });

/** `facts`: the shopper's facts and stage as the decision read them (the touch points' cards show them). */
export function buildProps(w: CompiledCampaign, variant: VariantT, ctx: DecideContext, facts: { shop: ShopperFacts; stage: StageT }): Record<string, unknown> {
  const { config } = ctx.compiled;
  const { state, request, now } = ctx;
  const page = request.page.url;
  const base = { copy: variant.copy, theme: { ...config.theme, ...variant.theme } };
  const c = w.cfg;
  switch (c.template) {
    case 'signup_benefit': {
      const s = c.settings;
      return {
        ...base,
        signup_url: absolute(s.signup_url, page)!,
        benefit: { kind: s.benefit.kind, ...(s.benefit.amount ? { amount: s.benefit.amount } : {}) },
        email_capture: s.email_capture,
        privacy_url: absolute(s.privacy_url, page),
      } satisfies WidgetPropsOf<'signup_benefit'>;
    }
    case 'cart_reminder': {
      const s = c.settings;
      return {
        ...base,
        cart_url: absolute(s.cart_url, page)!,
        items: state.cart.slice(0, 50).map(cartCard),
        total: state.profile?.cart_value ?? 0,
        currency: state.cart.find((l) => l.currency)?.currency ?? ctx.site.currency,
        offer: s.offer_code ? { code: s.offer_code } : undefined,
      } satisfies WidgetPropsOf<'cart_reminder'>;
    }
    case 'recommendations': {
      const s = c.settings;
      return {
        ...base,
        strategy: s.strategy,
        limit: s.limit,
        item_id: request.page.item_id,
        layout: c.placement === 'inline' ? 'inline' : 'drawer',
      } satisfies WidgetPropsOf<'recommendations'>;
    }
    case 'review_prompt': {
      const s = c.settings;
      const items = reviewableFor(state, s, now).slice(0, s.max_items);
      return { ...base, transaction_id: items[0]?.transaction_id, items: items.map(reviewCard), allow_text: s.allow_text } satisfies WidgetPropsOf<'review_prompt'>;
    }
    case 'interested_product': {
      const product = interestedProduct(state, request, c.settings, now)!;
      return { ...base, item: productCard(product), views: product.views } satisfies WidgetPropsOf<'interested_product'>;
    }
    case 'welcome_back': {
      const s = c.settings;
      return { ...base, cta_url: absolute(s.cta_url, page), offer: s.offer_code ? { code: s.offer_code } : undefined } satisfies WidgetPropsOf<'welcome_back'>;
    }
    case 'marketing_consent':
      return { ...base, privacy_url: absolute(c.settings.privacy_url, page) } satisfies WidgetPropsOf<'marketing_consent'>;
    case 'survey':
      return { ...base, survey: c.id, questions: c.settings.questions } satisfies WidgetPropsOf<'survey'>;
    case 'referral':
      // The member's code, link and counts need a write and a read: fillReferrals (edge/referrals/fill-props.ts).
      return { ...base, landing_url: absolute(c.settings.landing_url, page) };
    // The journey's touch points (issue 16): edge/decide/touchpoint-props.ts.
    case 'welcome':
    case 'benefit_expiry':
    case 'second_purchase':
    case 'stamp_mission':
    case 'membership_tier':
    case 'points':
    case 'replenishment':
      return touchpointProps(c, base, { state, shop: facts.shop, stage: facts.stage, now }, { page, currency: ctx.site.currency });
  }
}
