import type { WidgetPropsOf } from '../../edge/contract';
import CONTENT_CSS from '../shell/content.css';
import { defineWidget, type WidgetContext } from '../shell/define-widget';
import JOURNEY_CSS from '../shell/journey.css';
import { CardActions, cardPlacement, formatDay, groupDigits } from '../shell/journey';
import { COPY } from './copy';
import CSS from './styles.css';

const CoinIcon = () => (
  <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round">
    <circle cx="12" cy="12" r="9" /><path d="M10 16V8h3a2.5 2.5 0 0 1 0 5h-3" />
  </svg>
);

type Props = WidgetPropsOf<'points'>;
type Ctx = WidgetContext<Props, keyof typeof COPY.ko>;

/** Shows only the balance the shop's server sent; without it the card closes unseen. */
function Points({ ctx }: { ctx: Ctx }) {
  const { t, props, lang } = ctx;
  const balance = groupDigits(props.balance);
  const amount = groupDigits(props.expiring?.amount);
  const date = formatDay(props.expiring?.expires_at, lang);
  const expiring = props.mode === 'expiring' && amount && date;
  if (!balance || (props.mode === 'expiring' && !expiring)) {
    queueMicrotask(() => ctx.close('empty'));
    return null;
  }
  const asOf = formatDay(props.as_of, lang);
  return (
    <div class="tp-card tp-points">
      <span class="tp-eyebrow"><CoinIcon /></span>
      <h2 id={ctx.titleId} class="tp-title">{expiring ? t('title', { amount, date }) : t('title_unused', { balance })}</h2>
      <p class="tp-body">{t('body')}</p>
      <p class="tp-figure">
        <span class="tp-small">{t('balance')}</span>
        <strong class="tp-figure-value">{t('points', { n: balance })}</strong>
      </p>
      {expiring ? <p class="tp-note tp-expiring">{t('expiring', { amount, date })}</p> : null}
      {asOf ? <p class="tp-asof">{t('as_of', { date: asOf })}</p> : null}
      <CardActions ctx={ctx} url={props.cta_url} cta={t('cta')} later={t('later')} />
    </div>
  );
}

export const mount = defineWidget<Props, keyof typeof COPY.ko>({ copy: COPY, css: CONTENT_CSS + JOURNEY_CSS + CSS, placement: cardPlacement, View: Points });
