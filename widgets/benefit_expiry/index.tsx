import type { WidgetPropsOf } from '../../edge/contract';
import CONTENT_CSS from '../shell/content.css';
import { defineWidget, type WidgetContext } from '../shell/define-widget';
import JOURNEY_CSS from '../shell/journey.css';
import { CardActions, cardPlacement, formatDay, text, timeLeft } from '../shell/journey';
import OFFER_CSS from '../shell/offer-code.css';
import { OfferCode } from '../shell/offer-code';
import { COPY } from './copy';
import CSS from './styles.css';

const ClockIcon = () => (
  <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round">
    <circle cx="12" cy="13" r="8" /><path d="M12 9v4l2.5 2M9 2h6" />
  </svg>
);

type Props = WidgetPropsOf<'benefit_expiry'>;
type Ctx = WidgetContext<Props, keyof typeof COPY.ko>;

function BenefitExpiry({ ctx }: { ctx: Ctx }) {
  const { t, props, lang } = ctx;
  const code = text(props.coupon?.code);
  const left = timeLeft(props.coupon?.expires_at, Date.now());
  const until = formatDay(props.coupon?.expires_at, lang);
  if (!code || !left) {
    // Nothing true to say: no code, or it already ended.
    queueMicrotask(() => ctx.close('empty'));
    return null;
  }
  const benefit = text(props.coupon?.benefit) ?? t('benefit_fallback');
  return (
    <div class="tp-card tp-expiry">
      <span class="tp-eyebrow"><ClockIcon /></span>
      <h2 id={ctx.titleId} class="tp-title">{t('title', { benefit }).replace(/\s+/g, ' ').trim()}</h2>
      <p class="tp-body">{t('body')}</p>
      <p class="tp-figure">
        <span class="tp-small">{t('time_left')}</span>
        <span>
          <strong class="tp-figure-value">{left.days >= 3 || (left.days > 0 && left.hours === 0) ? t('days_left', { n: left.days }) : left.days > 0 ? t('days_hours_left', { d: left.days, h: left.hours }) : t('hours_left', { n: left.hours })}</strong>
          {until ? <span class="tp-small"> · {t('until', { date: until })}</span> : null}
        </span>
      </p>
      <OfferCode code={code} label={t('offer_label')} copyLabel={t('copy_code')} copiedLabel={t('copied')} onCopy={() => ctx.track('widget_click', { target: 'copy_code' })} />
      <CardActions ctx={ctx} url={props.cta_url} cta={t('cta')} later={t('later')} />
    </div>
  );
}

export const mount = defineWidget<Props, keyof typeof COPY.ko>({ copy: COPY, css: CONTENT_CSS + OFFER_CSS + JOURNEY_CSS + CSS, placement: cardPlacement, View: BenefitExpiry });
