// The widget as a shopper will see it: the real /widgets/<name>.js module, mounted with props
// built from the config being edited (as the edge's buildProps does) and sample products.
import { useEffect, useRef } from 'preact/hooks';
import type { WidgetNameT } from '../edge/contract';
import type { MountOptions, WidgetModule } from '../sdk/widget-api';
import type { Lang } from './i18n';

type Json = any;

const sample = (id: string, name: string, price: number) => ({ item_id: id, name, price, currency: 'KRW', quantity: 1, image_url: `${location.origin}/demo/img/${id}.svg`, url: `${location.origin}/demo/product?id=${id}` });
const MUG = sample('k-mug', '하루 세라믹 머그컵 350ml', 12000);
const TUMBLER = sample('k-tumbler', '스테인리스 보온 텀블러 500ml', 24900);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const absolute = (link: string | null | undefined) => (link ? new URL(link, `${location.origin}/demo/`).href : undefined);

/** The decision props the edge would send for this widget and variant (edge/decide/props.ts). */
export function previewProps(name: string, widget: Json, variant: Json, theme: Json): Record<string, unknown> {
  const s = widget.settings ?? {};
  const base = { copy: variant.copy, theme: { ...theme, ...variant.theme } };
  const offer = s.offer_code ? { code: s.offer_code } : undefined;
  switch (name) {
    case 'signup_benefit':
      return { ...base, signup_url: absolute(s.signup_url), benefit: { kind: s.benefit?.kind, ...(s.benefit?.amount ? { amount: s.benefit.amount } : {}) }, email_capture: s.email_capture, privacy_url: absolute(s.privacy_url) };
    case 'cart_reminder':
      return { ...base, cart_url: absolute(s.cart_url), items: [MUG, TUMBLER], total: MUG.price + TUMBLER.price, currency: 'KRW', offer };
    case 'recommendations':
      return { ...base, strategy: s.strategy, limit: s.limit, item_id: 'k-mug', layout: widget.placement === 'inline' ? 'inline' : 'drawer' };
    case 'review_prompt':
      return { ...base, transaction_id: 'HR-PREVIEW', items: [MUG, TUMBLER].slice(0, s.max_items ?? 3), allow_text: s.allow_text };
    case 'interested_product':
      return { ...base, item: TUMBLER, views: s.min_views ?? 3 };
    case 'welcome_back':
      return { ...base, offer, cta_url: absolute(s.cta_url) };
    // The journey's touch points (issue 16), with a sample member's facts.
    case 'welcome':
      return { ...base, cta_url: absolute(s.cta_url), offer: { code: s.offer_code ?? 'WELCOME10', benefit: '첫 구매 10% 할인', expires_at: Date.now() + 14 * DAY } };
    case 'benefit_expiry':
      return { ...base, cta_url: absolute(s.cta_url), coupon: { code: 'WELCOME10', benefit: '10%', expires_at: Date.now() + 2 * DAY + 5 * HOUR } };
    case 'second_purchase':
      return { ...base, cta_url: absolute(s.cta_url), mode: 'first_order', offer };
    case 'stamp_mission':
      return { ...base, cta_url: absolute(s.cta_url), stamps: 2, goal: s.goal ?? 5, rewards: s.rewards ?? [] };
    case 'membership_tier':
      return { ...base, cta_url: absolute(s.cta_url), mode: 'close', tier: 'SILVER', next_tier: 'GOLD', amount_to_next: 32000, currency: 'KRW', as_of: Date.now() };
    case 'points':
      return { ...base, cta_url: absolute(s.cta_url), mode: 'expiring', balance: 5200, expiring: { amount: 2000, expires_at: Date.now() + 9 * DAY }, as_of: Date.now() };
    case 'replenishment':
      return { ...base, item: MUG, due_at: Date.now(), add_to_cart_url: absolute((s.add_to_cart_url ?? '/cart?add={item_id}').replace('{item_id}', MUG.item_id)), cart_url: absolute(s.cart_url) };
    default:
      return { ...base, privacy_url: absolute(s.privacy_url) };
  }
}

/** Mounts the widget in the pane; overlays are moved into it, whose transform contains their fixed position. */
export function Preview({ site, name, widget, variant, theme, lang }: { site: string; name: string; widget: Json; variant: Json; theme: Json; lang: Lang }) {
  const pane = useRef<HTMLDivElement>(null);
  const props = JSON.stringify(previewProps(name, widget, variant, theme));
  useEffect(() => {
    let unmount: (() => void) | undefined;
    let cancelled = false;
    const timer = setTimeout(async () => {
      const module = (await import(/* @vite-ignore */ `${location.origin}/widgets/${name}.js`).catch(() => null)) as WidgetModule | null;
      if (cancelled || !module || !pane.current) return;
      const slot = document.createElement('div');
      slot.className = 'preview-slot';
      pane.current.replaceChildren(slot);
      const inline = widget.placement === 'inline';
      const before = new Set(document.body.children);
      // Mounting a modal moves focus into it; the marketer is typing in the editor, so focus goes back.
      const focused = document.activeElement as HTMLElement | null;
      const options: MountOptions = {
        decision: { decision_id: 'preview', campaign: 'preview', template: name as WidgetNameT, widget: name as WidgetNameT, variant: variant.id, trigger: { type: 'immediate' }, props: JSON.parse(props) },
        host: { track: () => {}, lang, endpoint: location.origin, site, anonId: 'admin-preview', userId: null },
        slot: inline ? slot : null,
      };
      unmount = module.mount(options);
      if (!inline) for (const child of [...document.body.children]) if (!before.has(child) && child.hasAttribute('data-touchpoint-widget')) slot.append(child);
      focused?.focus({ preventScroll: true });
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      unmount?.();
    };
  }, [site, name, props, lang, widget.placement, variant.id]);
  return <div class="preview-pane" ref={pane} data-preview={name} />;
}
