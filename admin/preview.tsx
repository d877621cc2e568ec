// The campaign as a shopper will see it: the real /widgets/<template>.js module, mounted in the
// preview frame with props built from the campaign being edited (as the edge's buildProps does)
// and sample products.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CampaignT, SiteConfigT, VariantT, WidgetNameT } from '../edge/contract';

type ThemeT = SiteConfigT['theme'];
import type { Lang } from './i18n';
import type { PreviewMessage } from './preview-frame';

const sample = (id: string, name: string, price: number) => ({ item_id: id, name, price, currency: 'KRW', quantity: 1, image_url: `${location.origin}/demo/img/${id}.svg`, url: `${location.origin}/demo/product?id=${id}` });
const MUG = sample('k-mug', '하루 세라믹 머그컵 350ml', 12000);
const TUMBLER = sample('k-tumbler', '스테인리스 보온 텀블러 500ml', 24900);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
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
    case 'survey':
      return { ...base, survey: campaign.id, questions: campaign.settings.questions };
    case 'referral': {
      const link = new URL(absolute(campaign.settings.landing_url) ?? `${location.origin}/`);
      link.searchParams.set('tp_ref', 'preview2345abcdef');
      return { ...base, link: link.href, code: 'preview2345abcdef', friends_joined: 2, friends_ordered: 1 };
    }
    // The journey's touch points (issue 16), with a sample member's facts.
    case 'welcome':
      return { ...base, cta_url: absolute(campaign.settings.cta_url), offer: { code: campaign.settings.offer_code ?? 'WELCOME10', benefit: '첫 구매 10% 할인', expires_at: Date.now() + 14 * DAY } };
    case 'benefit_expiry':
      return { ...base, cta_url: absolute(campaign.settings.cta_url), coupon: { code: 'WELCOME10', benefit: '10%', expires_at: Date.now() + 2 * DAY + 5 * HOUR } };
    case 'second_purchase':
      return { ...base, cta_url: absolute(campaign.settings.cta_url), mode: 'first_order', offer };
    case 'stamp_mission':
      return { ...base, cta_url: absolute(campaign.settings.cta_url), stamps: 2, goal: campaign.settings.goal, rewards: campaign.settings.rewards };
    case 'membership_tier':
      return { ...base, cta_url: absolute(campaign.settings.cta_url), mode: 'close', tier: 'SILVER', next_tier: 'GOLD', amount_to_next: 32000, currency: 'KRW', as_of: Date.now() };
    case 'points':
      return { ...base, cta_url: absolute(campaign.settings.cta_url), mode: 'expiring', balance: 5200, expiring: { amount: 2000, expires_at: Date.now() + 9 * DAY }, as_of: Date.now() };
    case 'replenishment':
      return { ...base, item: MUG, due_at: Date.now(), add_to_cart_url: absolute((campaign.settings.add_to_cart_url ?? '/cart?add={item_id}').replace('{item_id}', MUG.item_id)), cart_url: absolute(campaign.settings.cart_url) };
    default:
      // Templates of other branches: links and numbers of their settings as they are.
      return { ...base, privacy_url: absolute(text(s, 'privacy_url')), cta_url: absolute(text(s, 'cta_url')), offer, limit: number(s, 'limit') };
  }
}

/** The preview frame (/preview/, admin/preview-frame.ts) at phone or desktop width, told what to
 * show by postMessage whenever the campaign, variant or language changes. */
export function Preview({ site, campaign, variant, theme, lang, size, title }: { site: string; campaign: CampaignT; variant: VariantT; theme: ThemeT; lang: Lang; size: 'phone' | 'desktop'; title: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [ready, setReady] = useState(false);
  const name = campaign.template;
  const props = JSON.stringify(previewProps(campaign, variant, theme));
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (event.origin === location.origin && event.source === frame.current?.contentWindow && (event.data as { kind?: unknown } | null)?.kind === 'touchpoint-preview-ready') setReady(true);
    };
    addEventListener('message', onMessage);
    return () => removeEventListener('message', onMessage);
  }, []);
  useEffect(() => {
    if (!ready) return;
    const timer = setTimeout(() => {
      const message: PreviewMessage = {
        kind: 'touchpoint-preview',
        site,
        lang,
        inline: campaign.placement === 'inline',
        decision: { decision_id: 'preview', campaign: 'preview', template: name as WidgetNameT, widget: name as WidgetNameT, variant: variant.id, trigger: { type: 'immediate' }, props: JSON.parse(props) as Record<string, unknown> },
      };
      frame.current?.contentWindow?.postMessage(message, location.origin);
    }, 150);
    return () => clearTimeout(timer);
  }, [ready, site, name, props, lang, campaign.placement, variant.id]);
  return (
    <div class={`preview-stage preview-stage-${size}`}>
      <iframe ref={frame} class={`preview-pane preview-${size}`} src="/preview/" title={title} data-preview={name} tabIndex={-1} />
    </div>
  );
}
