import { useState } from 'preact/hooks';
import type { ProductCardT, WidgetPropsOf } from '../../edge/contract';
import CONTENT_CSS from '../shell/content.css';
import { defineWidget, Done, type WidgetContext } from '../shell/define-widget';
import FORMS_CSS from '../shell/forms.css';
import PRODUCT_CSS from '../shell/product.css';
import { ProductImage, validItems } from '../shell/product';
import { COPY } from './copy';
import CSS from './styles.css';

const StarIcon = () => (
  <svg width="32" height="32" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    <path d="M12 2.8l2.84 5.76 6.36.92-4.6 4.49 1.08 6.33L12 17.3l-5.68 3 1.08-6.33-4.6-4.49 6.36-.92z" />
  </svg>
);

type Props = WidgetPropsOf<'review_prompt'>;
type Key = keyof typeof COPY.ko;
type Ctx = WidgetContext<Props, Key>;

const STARS = [1, 2, 3, 4, 5] as const;
const TEXT_MAX = 2000;

/** Five native radios styled as stars: arrow keys move the rating, Tab leaves the group, and
 * screen readers announce "3 out of 5" with the item's name as the group's legend. */
function StarRating({ ctx, item, index, value, onChange }: { ctx: Ctx; item: ProductCardT; index: number; value: number; onChange(n: number): void }) {
  const name = `tp-rating-${index}`;
  return (
    <fieldset class="tp-stars-field">
      <legend class="tp-visually-hidden">{ctx.t('rating_legend', { name: item.name })}</legend>
      <div class="tp-stars" data-value={value}>
        {STARS.map((n) => (
          <label key={n} class={`tp-star${n <= value ? ' tp-star-on' : ''}`}>
            <input type="radio" name={name} value={n} checked={value === n} onChange={() => onChange(n)} />
            <StarIcon />
            <span class="tp-visually-hidden">{ctx.t('star', { n })}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function ReviewPrompt({ ctx }: { ctx: Ctx }) {
  const { t, props } = ctx;
  const items = validItems(props.items, 20);
  const allowText = props.allow_text !== false;
  const [ratings, setRatings] = useState<Record<string, number>>({});
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [error, setError] = useState(false);
  const [sent, setSent] = useState(false);

  if (sent) return <Done headingId={ctx.titleId} title={t('success_title')} body={t('success_body')} button={t('success_close')} onClose={() => ctx.close('done')} />;

  const submit = (e: Event) => {
    e.preventDefault();
    const rated = items.filter((item) => ratings[item.item_id]);
    if (rated.length === 0) return setError(true);
    for (const item of rated) {
      const text = texts[item.item_id]?.trim();
      ctx.track('review_submit', {
        item_id: item.item_id,
        item_name: item.name,
        rating: ratings[item.item_id],
        ...(text ? { text: text.slice(0, TEXT_MAX) } : {}),
        ...(typeof props.transaction_id === 'string' ? { transaction_id: props.transaction_id } : {}),
      });
    }
    ctx.track('widget_submit', { reviews: rated.length, items: items.length });
    ctx.completed();
    setSent(true);
  };

  return (
    <form class="tp-review" noValidate onSubmit={submit}>
      <h2 id={ctx.titleId} class="tp-title">{t('title')}</h2>
      <p class="tp-body">{t('body')}</p>
      <ul class="tp-review-items">
        {items.map((item, index) => (
          <li key={item.item_id} class="tp-review-item">
            <div class="tp-review-product">
              <ProductImage item={item} />
              <span class="tp-name tp-review-name">{item.name}</span>
            </div>
            <StarRating
              ctx={ctx}
              item={item}
              index={index}
              value={ratings[item.item_id] ?? 0}
              onChange={(n) => {
                setRatings({ ...ratings, [item.item_id]: n });
                setError(false);
              }}
            />
            {allowText && ratings[item.item_id] ? (
              <label class="tp-field">
                <span class="tp-label">{t('text_label')}</span>
                <textarea
                  class="tp-input tp-textarea"
                  rows={3}
                  maxLength={TEXT_MAX}
                  placeholder={t('text_placeholder')}
                  value={texts[item.item_id] ?? ''}
                  onInput={(e) => setTexts({ ...texts, [item.item_id]: e.currentTarget.value })}
                />
              </label>
            ) : null}
          </li>
        ))}
      </ul>
      {error ? <p class="tp-error" role="alert">{t('need_rating')}</p> : null}
      <div class="tp-actions">
        <button type="submit" class="tp-button">{t('submit')}</button>
        <button type="button" class="tp-link-button" onClick={() => ctx.close('later')}>{t('later')}</button>
      </div>
    </form>
  );
}

export const mount = defineWidget<Props, Key>({ copy: COPY, css: CONTENT_CSS + PRODUCT_CSS + FORMS_CSS + CSS, placement: () => 'modal', View: ReviewPrompt });
