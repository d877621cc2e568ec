// The campaign as a shopper will see it: the real /widgets/<template>.js module, mounted with
// props built from the campaign being edited (as the edge's buildProps does) and sample products.
import { useEffect, useRef } from 'preact/hooks';
import type { CampaignT, SiteConfigT, VariantT, WidgetNameT } from '../edge/contract';

type ThemeT = SiteConfigT['theme'];
import type { MountOptions, WidgetModule } from '../sdk/widget-api';
import type { Lang } from './i18n';

const sample = (id: string, name: string, price: number) => ({ item_id: id, name, price, currency: 'KRW', quantity: 1, image_url: `${location.origin}/demo/img/${id}.svg`, url: `${location.origin}/demo/product?id=${id}` });
const MUG = sample('k-mug', '하루 세라믹 머그컵 350ml', 12000);
const TUMBLER = sample('k-tumbler', '스테인리스 보온 텀블러 500ml', 24900);
const absolute = (link: string | null | undefined) => (link ? new URL(link, `${location.origin}/demo/`).href : undefined);

type Settings = Record<string, unknown>;
const text = (s: Settings, key: string) => (typeof s[key] === 'string' ? (s[key] as string) : null);
const number = (s: Settings, key: string) => (typeof s[key] === 'number' ? (s[key] as number) : undefined);

/** The decision props the edge would send for this campaign and variant (edge/decide/props.ts). */
export function previewProps(campaign: CampaignT, variant: VariantT, theme: ThemeT): Record<string, unknown> {
  const s = campaign.settings as Settings;
  const base = { copy: variant.copy, theme: { ...theme, ...variant.theme } };
  const code = text(s, 'offer_code');
  const offer = code ? { code } : undefined;
  switch (campaign.template) {
    case 'signup_benefit': {
      const benefit = campaign.settings.benefit;
      return { ...base, signup_url: absolute(campaign.settings.signup_url), benefit: { kind: benefit.kind, ...(benefit.amount ? { amount: benefit.amount } : {}) }, email_capture: campaign.settings.email_capture, privacy_url: absolute(campaign.settings.privacy_url) };
    }
    case 'cart_reminder':
      return { ...base, cart_url: absolute(campaign.settings.cart_url), items: [MUG, TUMBLER], total: MUG.price + TUMBLER.price, currency: 'KRW', offer };
    case 'recommendations':
      return { ...base, strategy: campaign.settings.strategy, limit: campaign.settings.limit, item_id: 'k-mug', layout: campaign.placement === 'inline' ? 'inline' : 'drawer' };
    case 'review_prompt':
      return { ...base, transaction_id: 'HR-PREVIEW', items: [MUG, TUMBLER].slice(0, campaign.settings.max_items), allow_text: campaign.settings.allow_text };
    case 'interested_product':
      return { ...base, item: TUMBLER, views: campaign.settings.min_views };
    case 'welcome_back':
      return { ...base, offer, cta_url: absolute(campaign.settings.cta_url) };
    default:
      // Templates of other branches: links and numbers of their settings as they are.
      return { ...base, privacy_url: absolute(text(s, 'privacy_url')), cta_url: absolute(text(s, 'cta_url')), offer, limit: number(s, 'limit') };
  }
}

/** Mounts the widget in the pane; overlays are moved into it, whose transform contains their fixed position. */
export function Preview({ site, campaign, variant, theme, lang, size }: { site: string; campaign: CampaignT; variant: VariantT; theme: ThemeT; lang: Lang; size: 'phone' | 'desktop' }) {
  const pane = useRef<HTMLDivElement>(null);
  const name = campaign.template;
  const props = JSON.stringify(previewProps(campaign, variant, theme));
  useEffect(() => {
    let unmount: (() => void) | undefined;
    let cancelled = false;
    const timer = setTimeout(async () => {
      const module = (await import(/* @vite-ignore */ `${location.origin}/widgets/${name}.js`).catch(() => null)) as WidgetModule | null;
      if (cancelled || !module || !pane.current) return;
      const slot = document.createElement('div');
      slot.className = 'preview-slot';
      pane.current.replaceChildren(slot);
      const inline = campaign.placement === 'inline';
      const before = new Set(document.body.children);
      // Mounting a modal moves focus into it; the marketer is typing in the editor, so focus goes back.
      const focused = document.activeElement as HTMLElement | null;
      const options: MountOptions = {
        decision: { decision_id: 'preview', campaign: 'preview', template: name as WidgetNameT, widget: name as WidgetNameT, variant: variant.id, trigger: { type: 'immediate' }, props: JSON.parse(props) as Record<string, unknown> },
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
  }, [site, name, props, lang, campaign.placement, variant.id]);
  return <div class={`preview-pane preview-${size}`} ref={pane} data-preview={name} />;
}
