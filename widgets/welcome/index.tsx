import type { WidgetPropsOf } from '../../edge/contract';
import CONTENT_CSS from '../shell/content.css';
import { defineWidget, type WidgetContext } from '../shell/define-widget';
import JOURNEY_CSS from '../shell/journey.css';
import { CardActions, cardPlacement, formatDay, text } from '../shell/journey';
import OFFER_CSS from '../shell/offer-code.css';
import { OfferCode } from '../shell/offer-code';
import { COPY } from './copy';
import CSS from './styles.css';

const GiftIcon = () => (
  <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
    <rect x="3" y="8" width="18" height="13" rx="1.5" /><path d="M12 8v13M3 12h18M12 8c-1.5-3-5-4-5-1.5S10 8 12 8zm0 0c1.5-3 5-4 5-1.5S14 8 12 8z" />
  </svg>
);

type Props = WidgetPropsOf<'welcome'>;
type Ctx = WidgetContext<Props, keyof typeof COPY.ko>;

function Welcome({ ctx }: { ctx: Ctx }) {
  const { t, props, lang } = ctx;
  const code = text(props.offer?.code);
  const benefit = text(props.offer?.benefit);
  const until = formatDay(props.offer?.expires_at, lang);
  return (
    <div class="tp-card tp-welcome-card">
      <span class="tp-eyebrow"><GiftIcon /></span>
      <h2 id={ctx.titleId} class="tp-title">{t('title')}</h2>
      <p class="tp-body">{t('body')}</p>
      {code ? <OfferCode code={code} label={benefit ?? t('offer_label')} copyLabel={t('copy_code')} copiedLabel={t('copied')} onCopy={() => ctx.track('widget_click', { target: 'copy_code' })} /> : null}
      {code && until ? <p class="tp-note tp-small">{t('until', { date: until })}</p> : null}
      <CardActions ctx={ctx} url={props.cta_url} cta={t('cta')} later={t('later')} />
    </div>
  );
}

export const mount = defineWidget<Props, keyof typeof COPY.ko>({ copy: COPY, css: CONTENT_CSS + OFFER_CSS + JOURNEY_CSS + CSS, placement: cardPlacement, View: Welcome });
