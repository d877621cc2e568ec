import { useRef, useState } from 'preact/hooks';
import type { WidgetPropsOf } from '../../edge/contract';
import { safeUrl } from '../shell/checks';
import CONTENT_CSS from '../shell/content.css';
import { defineWidget, type WidgetContext } from '../shell/define-widget';
import FORMS_CSS from '../shell/forms.css';
import { COPY } from './copy';
import CSS from './styles.css';

type Props = WidgetPropsOf<'referral'>;
type Key = keyof typeof COPY.ko;
type Ctx = WidgetContext<Props, Key>;

const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0);

/** The member's own invite link, to copy or (where the browser has a share sheet) share, and how
 * many friends joined and ordered through it. The link is selectable text, so it can be copied by
 * hand where the clipboard is not allowed. */
function Referral({ ctx }: { ctx: Ctx }) {
  const { t, props } = ctx;
  const link = safeUrl(props.link);
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  if (!link) {
    queueMicrotask(() => ctx.close('empty'));
    return null;
  }
  const canShare = typeof navigator.share === 'function';

  const copy = () => {
    ctx.track('widget_click', { action: 'copy' });
    const fallback = () => {
      input.current?.select();
      setCopied(document.execCommand?.('copy') ?? false);
    };
    if (navigator.clipboard) navigator.clipboard.writeText(link).then(() => setCopied(true), fallback);
    else fallback();
  };
  const share = () => {
    ctx.track('widget_click', { action: 'share' });
    navigator.share({ title: t('title'), text: t('share_text'), url: link }).catch(() => undefined);
  };

  return (
    <section class="tp-referral" aria-labelledby={ctx.titleId}>
      <h2 id={ctx.titleId} class="tp-title">{t('title')}</h2>
      <p class="tp-body">{t('body')}</p>
      <div class="tp-field">
        <label class="tp-label" for="tp-ref-link">{t('link_label')}</label>
        <div class="tp-inline-form">
          <input ref={input} id="tp-ref-link" class="tp-input tp-ref-link" type="text" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" class="tp-button tp-ref-copy" onClick={copy}>
            <span aria-live="polite">{copied ? t('copied') : t('copy')}</span>
          </button>
        </div>
      </div>
      {canShare ? (
        <div class="tp-actions">
          <button type="button" class="tp-button tp-button-quiet" onClick={share}>{t('share')}</button>
        </div>
      ) : null}
      <ul class="tp-ref-stats">
        <li>{t('joined', { n: count(props.friends_joined) })}</li>
        <li>{t('ordered', { n: count(props.friends_ordered) })}</li>
      </ul>
    </section>
  );
}

export const mount = defineWidget<Props, Key>({
  copy: COPY,
  css: CONTENT_CSS + FORMS_CSS + CSS,
  placement: (_props, slot) => (slot ? 'inline' : 'modal'),
  View: Referral,
});
