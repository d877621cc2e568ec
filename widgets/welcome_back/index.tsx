import type { WidgetPropsOf } from '../../edge/contract';
import CONTENT_CSS from '../shell/content.css';
import { defineWidget, type WidgetContext } from '../shell/define-widget';
import OFFER_CSS from '../shell/offer-code.css';
import { OfferCode } from '../shell/offer-code';
import { safeUrl } from '../shell/checks';
import { COPY } from './copy';
import CSS from './styles.css';

const HeartIcon = () => (
  <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
    <path d="M12 21s-7.5-4.6-9.4-9.3C1.3 8.4 3.3 5 6.6 5c2 0 3.6 1.1 4.4 2.6l1 1.7 1-1.7C13.8 6.1 15.4 5 17.4 5c3.3 0 5.3 3.4 4 6.7C19.5 16.4 12 21 12 21z" />
  </svg>
);

type Props = WidgetPropsOf<'welcome_back'>;
type Ctx = WidgetContext<Props, keyof typeof COPY.ko>;

function WelcomeBack({ ctx }: { ctx: Ctx }) {
  const { t, props } = ctx;
  const cta = safeUrl(props.cta_url);
  const code = typeof props.offer?.code === 'string' && props.offer.code.trim() ? props.offer.code : null;
  return (
    <div class="tp-welcome">
      <span class="tp-eyebrow"><HeartIcon /></span>
      <h2 id={ctx.titleId} class="tp-title">{t('title')}</h2>
      <p class="tp-body">{t('body')}</p>
      {code ? <OfferCode code={code} label={t('offer_label')} copyLabel={t('copy_code')} copiedLabel={t('copied')} onCopy={() => ctx.track('widget_click', { target: 'copy_code' })} /> : null}
      <div class="tp-actions">
        {cta ? <a class="tp-button" href={cta} onClick={() => ctx.track('widget_click', { target: 'cta', url: cta })}>{t('cta')}</a> : null}
        <button type="button" class={cta ? 'tp-link-button' : 'tp-button'} onClick={() => ctx.close(cta ? 'later' : 'continue')}>{t('continue')}</button>
      </div>
    </div>
  );
}

export const mount = defineWidget<Props, keyof typeof COPY.ko>({ copy: COPY, css: CONTENT_CSS + OFFER_CSS + CSS, placement: () => 'modal', View: WelcomeBack });
