import type { WidgetPropsOf } from '../../edge/contract';
import CONTENT_CSS from '../shell/content.css';
import { defineWidget, type WidgetContext } from '../shell/define-widget';
import JOURNEY_CSS from '../shell/journey.css';
import { CardActions, cardPlacement, formatDay, text, wordsFor } from '../shell/journey';
// Through product.ts, as the other widgets do: price and product helpers stay one chunk.
import { formatPrice } from '../shell/product';
import { COPY } from './copy';
import CSS from './styles.css';

const CrownIcon = () => (
  <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round">
    <path d="M3 8l4.5 4L12 5l4.5 7L21 8l-2 11H5L3 8z" />
  </svg>
);

type Props = WidgetPropsOf<'membership_tier'>;
type Ctx = WidgetContext<Props, keyof typeof COPY.ko>;

/** Shows only what the shop's server sent: a card missing what its mode needs closes unseen. */
function MembershipTier({ ctx }: { ctx: Ctx }) {
  const { t, props, lang } = ctx;
  const tier = text(props.tier);
  const nextTier = text(props.next_tier);
  const amount = formatPrice(props.amount_to_next, props.currency, lang);
  const date = formatDay(props.drops_at, lang);
  const mode = props.mode;
  const complete = tier && (mode === 'up' || (mode === 'drop' && date) || (mode === 'close' && nextTier && amount));
  if (!complete) {
    queueMicrotask(() => ctx.close('empty'));
    return null;
  }
  const vars = { tier, next_tier: nextTier ?? '', amount: amount ?? '', date: date ?? '' };
  const benefit = wordsFor(props.benefit, lang);
  const asOf = formatDay(props.as_of, lang);
  return (
    <div class={`tp-card tp-tier tp-tier-${mode}`}>
      <span class="tp-eyebrow"><CrownIcon /></span>
      <h2 id={ctx.titleId} class="tp-title">{t(mode === 'close' ? 'title' : `title_${mode}`, vars)}</h2>
      <p class="tp-body">{t(mode === 'close' ? 'body' : `body_${mode}`, vars)}</p>
      <dl class="tp-figure">
        <div><dt class="tp-small">{t('current')}</dt><dd class="tp-figure-value">{tier}</dd></div>
        {mode === 'close' ? <div class="tp-to-next"><dt class="tp-small">{t('to_next', vars)}</dt><dd class="tp-figure-value">{amount}</dd></div> : null}
      </dl>
      {benefit ? <p class="tp-note">{t('benefit', { benefit })}</p> : null}
      {asOf ? <p class="tp-asof">{t('as_of', { date: asOf })}</p> : null}
      <CardActions ctx={ctx} url={props.cta_url} cta={t('cta')} later={t('later')} />
    </div>
  );
}

export const mount = defineWidget<Props, keyof typeof COPY.ko>({ copy: COPY, css: CONTENT_CSS + JOURNEY_CSS + CSS, placement: cardPlacement, View: MembershipTier });
