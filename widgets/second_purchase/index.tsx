import type { WidgetPropsOf } from '../../edge/contract';
import CONTENT_CSS from '../shell/content.css';
import { defineWidget, type WidgetContext } from '../shell/define-widget';
import JOURNEY_CSS from '../shell/journey.css';
import { CardActions, cardPlacement, text } from '../shell/journey';
import OFFER_CSS from '../shell/offer-code.css';
import { OfferCode } from '../shell/offer-code';
import { COPY } from './copy';
import CSS from './styles.css';

const BagIcon = () => (
  <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
    <path d="M5 8h14l-1 12H6L5 8z" /><path d="M9 8V6a3 3 0 0 1 6 0v2M12 12v5M9.5 14.5h5" />
  </svg>
);

type Props = WidgetPropsOf<'second_purchase'>;
type Ctx = WidgetContext<Props, keyof typeof COPY.ko>;

function SecondPurchase({ ctx }: { ctx: Ctx }) {
  const { t, props } = ctx;
  const wakeup = props.mode === 'wakeup';
  const code = text(props.offer?.code);
  return (
    <div class="tp-card tp-second">
      <span class="tp-eyebrow"><BagIcon /></span>
      <h2 id={ctx.titleId} class="tp-title">{t(wakeup ? 'title_wakeup' : 'title')}</h2>
      <p class="tp-body">{t(wakeup ? 'body_wakeup' : 'body')}</p>
      {code ? <OfferCode code={code} label={t('offer_label')} copyLabel={t('copy_code')} copiedLabel={t('copied')} onCopy={() => ctx.track('widget_click', { target: 'copy_code' })} /> : null}
      <CardActions ctx={ctx} url={props.cta_url} cta={t('cta')} later={t('later')} />
    </div>
  );
}

export const mount = defineWidget<Props, keyof typeof COPY.ko>({ copy: COPY, css: CONTENT_CSS + OFFER_CSS + JOURNEY_CSS + CSS, placement: cardPlacement, View: SecondPurchase });
