import type { VariantT } from '../contract';
import type { CompiledWidget } from './compile-config';
import type { DecideContext } from './engine';
import { interestedProduct } from './visitor-state';

/**
 * A widget's input, built on the edge from config copy and the shopper's profile. Every widget
 * gets `lang`, `copy` (the variant's words in that language), `theme` (site theme with the
 * variant's overrides) and `placement`; each adds what it shows:
 * - signup_benefit: signup_url, email_capture
 * - cart_reminder: items [{item_id, item_name, price, currency, quantity, image_url, url, item_variant}], total, currency, cart_url
 * - recommendations: strategy, limit, product_id (the page's item) — the widget fetches items from /v1/recommendations
 * - review_prompt: items [{item_id, item_name, image_url, url, transaction_id, purchased_at}], allow_text
 * - marketing_consent: nothing more
 * - interested_product: product {item_id, item_name, price, currency, image_url, url, views}
 * - welcome_back: url
 * Text from events and the catalogue is passed as data; widgets render it as text.
 */
export function buildProps(w: CompiledWidget, variant: VariantT, ctx: DecideContext): Record<string, unknown> {
  const { config } = ctx.compiled;
  const base = {
    lang: ctx.lang,
    copy: variant.copy[ctx.lang],
    theme: { ...config.theme, ...variant.theme },
    placement: w.cfg.placement,
  };
  const { state, request } = ctx;
  switch (w.name) {
    case 'signup_benefit': {
      const s = config.widgets.signup_benefit.settings;
      return { ...base, signup_url: s.signup_url, email_capture: s.email_capture };
    }
    case 'cart_reminder':
      return {
        ...base,
        items: state.cart,
        total: state.profile?.cart_value ?? 0,
        currency: state.cart.find((l) => l.currency)?.currency ?? null,
        cart_url: config.widgets.cart_reminder.settings.cart_url,
      };
    case 'recommendations': {
      const s = config.widgets.recommendations.settings;
      return { ...base, strategy: s.strategy, limit: s.limit, product_id: request.page.item_id ?? null };
    }
    case 'review_prompt': {
      const s = config.widgets.review_prompt.settings;
      return { ...base, items: state.reviewable.slice(0, s.max_items), allow_text: s.allow_text };
    }
    case 'interested_product':
      return { ...base, product: interestedProduct(state, request) };
    case 'welcome_back':
      return { ...base, url: config.widgets.welcome_back.settings.url };
    case 'marketing_consent':
      return base;
  }
}
