import { useState } from 'preact/hooks';
import type { WidgetPropsOf } from '../../edge/contract';
import CONTENT_CSS from '../shell/content.css';
import { defineWidget, Done, type WidgetContext } from '../shell/define-widget';
import { safeUrl } from '../shell/checks';
import { EmailField, FORMS_CSS, looksLikeEmail } from '../shell/forms';
import { COPY } from './copy';
import CSS from './styles.css';

const BellIcon = () => (
  <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
    <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0" />
  </svg>
);

type Props = WidgetPropsOf<'marketing_consent'>;
type Ctx = WidgetContext<Props, keyof typeof COPY.ko>;

/** A benefit for opting in to marketing messages. A signed-in member just agrees (the shop links
 * the consent to the account via the `touchpoint:marketing_consent` DOM event); a guest leaves an
 * email, stored as a lead with marketing_consent true. Declining is as easy as agreeing. */
function MarketingConsent({ ctx }: { ctx: Ctx }) {
  const { t } = ctx;
  const member = ctx.host.userId !== null && ctx.host.userId !== '';
  const [email, setEmail] = useState('');
  const [error, setError] = useState(false);
  const [sent, setSent] = useState(false);
  const privacy = safeUrl(ctx.props.privacy_url);

  if (sent) return <Done headingId={ctx.titleId} title={t('success_title')} body={t('success_body')} button={t('success_close')} onClose={() => ctx.close('done')} />;

  const agree = (e: Event) => {
    e.preventDefault();
    const address = email.trim();
    if (!member && !looksLikeEmail(address)) return setError(true);
    if (!member) ctx.track('lead_submit', { email: address, marketing_consent: true });
    ctx.track('widget_submit', { marketing_consent: true });
    window.dispatchEvent(new CustomEvent('touchpoint:marketing_consent', { detail: { granted: true, ...(member ? { user_id: ctx.host.userId } : { email: address }) } }));
    ctx.completed();
    setSent(true);
  };

  return (
    <form class="tp-consent" noValidate onSubmit={agree}>
      <span class="tp-eyebrow"><BellIcon /></span>
      <p class="tp-kicker">{t('eyebrow')}</p>
      <h2 id={ctx.titleId} class="tp-title">{t('title')}</h2>
      <p class="tp-body">{t('body')}</p>
      {member ? null : (
        <EmailField label={t('email_label')} placeholder={t('email_placeholder')} error={error ? t('email_invalid') : null} value={email} onInput={setEmail} />
      )}
      <p class="tp-small tp-note">
        {t('note')}
        {privacy ? ' · ' : ''}
        {privacy ? <a href={privacy} target="_blank" rel="noopener noreferrer">{t('privacy_link')}</a> : null}
      </p>
      <div class="tp-actions tp-actions-pair">
        <button type="button" class="tp-button tp-button-quiet" onClick={() => ctx.close('decline')}>{t('decline')}</button>
        <button type="submit" class="tp-button">{t('agree')}</button>
      </div>
    </form>
  );
}

export const mount = defineWidget<Props, keyof typeof COPY.ko>({ copy: COPY, css: CONTENT_CSS + FORMS_CSS + CSS, placement: () => 'modal', View: MarketingConsent });
