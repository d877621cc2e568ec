import { useState } from 'preact/hooks';
import type { WidgetPropsOf } from '../../edge/contract';
import CONTENT_CSS from '../shell/content.css';
import { defineWidget, Done, type WidgetContext } from '../shell/define-widget';
import { safeUrl } from '../shell/checks';
import { EmailField, FORMS_CSS, looksLikeEmail } from '../shell/forms';
import { COPY } from './copy';
import CSS from './styles.css';

const GiftIcon = () => (
  <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
    <rect x="3" y="8" width="18" height="4" rx="1" />
    <path d="M12 8v13M19 12v7a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2v-7M7.5 8a2.5 2.5 0 0 1 0-5C11 3 12 8 12 8s1-5 4.5-5a2.5 2.5 0 0 1 0 5" />
  </svg>
);

type Props = WidgetPropsOf<'signup_benefit'>;
type Ctx = WidgetContext<Props, keyof typeof COPY.ko>;

function benefitText({ props, t }: Ctx): string {
  const amount = typeof props.benefit?.amount === 'string' && props.benefit.amount.trim() ? props.benefit.amount : '';
  switch (props.benefit?.kind) {
    case 'points':
      return amount ? t('benefit_points', { amount }) : t('benefit_points_plain');
    case 'free_shipping':
      return t('benefit_free_shipping');
    default:
      return amount ? t('benefit_coupon', { amount }) : t('benefit_coupon_plain');
  }
}

function EmailCapture({ ctx }: { ctx: Ctx }) {
  const { t } = ctx;
  const [email, setEmail] = useState('');
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState(false);
  const [sent, setSent] = useState(false);
  const privacy = safeUrl(ctx.props.privacy_url);

  if (sent) return <Done title={t('success_title')} body={t('success_body')} button={t('success_close')} onClose={() => ctx.close('done')} />;
  return (
    <form
      class="tp-capture"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const address = email.trim();
        if (!looksLikeEmail(address)) return setError(true);
        setError(false);
        ctx.track('lead_submit', { email: address, marketing_consent: consent });
        ctx.track('widget_submit', { email_capture: true, marketing_consent: consent });
        ctx.completed();
        setSent(true);
      }}
    >
      <p class="tp-divider"><span>{t('divider')}</span></p>
      <EmailField label={t('email_label')} placeholder={t('email_placeholder')} error={error ? t('email_invalid') : null} value={email} onInput={setEmail}>
        <button type="submit" class="tp-button tp-submit">{t('submit')}</button>
      </EmailField>
      {/* Separate and optional (Korean law): never pre-checked, never required to get the benefit. */}
      <label class="tp-check">
        <input type="checkbox" name="marketing_consent" checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} />
        <span>
          {t('consent_label')}
          <span class="tp-small tp-block">{t('consent_note')}{privacy ? ' · ' : ''}{privacy ? <a href={privacy} target="_blank" rel="noopener noreferrer">{t('privacy_link')}</a> : null}</span>
        </span>
      </label>
    </form>
  );
}

function SignupBenefit({ ctx }: { ctx: Ctx }) {
  const { t, props } = ctx;
  const signup = safeUrl(props.signup_url);
  return (
    <div class="tp-signup">
      <div class="tp-ticket">
        <span class="tp-eyebrow"><GiftIcon /></span>
        <p class="tp-ticket-label">{t('eyebrow')}</p>
      </div>
      <h2 id={ctx.titleId} class="tp-title">{t('title', { benefit: benefitText(ctx) })}</h2>
      <p class="tp-body">{t('body')}</p>
      <div class="tp-actions">
        {signup ? (
          <a class="tp-button" href={signup} onClick={() => ctx.track('widget_click', { target: 'signup', url: signup })}>{t('cta')}</a>
        ) : null}
        {props.email_capture ? null : <button type="button" class="tp-link-button" onClick={() => ctx.close('later')}>{t('later')}</button>}
      </div>
      {props.email_capture ? <EmailCapture ctx={ctx} /> : null}
    </div>
  );
}

export const mount = defineWidget<Props, keyof typeof COPY.ko>({ copy: COPY, css: CONTENT_CSS + FORMS_CSS + CSS, placement: () => 'modal', View: SignupBenefit });
