import type { WidgetPropsOf } from '../../edge/contract';
import CONTENT_CSS from '../shell/content.css';
import { defineWidget, type WidgetContext } from '../shell/define-widget';
import OFFER_CSS from '../shell/offer-code.css';
import { OfferCode } from '../shell/offer-code';
import PRODUCT_CSS from '../shell/product.css';
import { formatPrice, ProductImage, validItems } from '../shell/product';
import { safeUrl } from '../shell/checks';
import { COPY } from './copy';
import CSS from './styles.css';

const CartIcon = () => (
  <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
    <circle cx="9" cy="20" r="1.4" />
    <circle cx="18" cy="20" r="1.4" />
    <path d="M2.5 3.5h2.7l2.4 11.2a1.5 1.5 0 0 0 1.5 1.2h8.6a1.5 1.5 0 0 0 1.5-1.2L21 7.5H6" />
  </svg>
);

type Props = WidgetPropsOf<'cart_reminder'>;
type Ctx = WidgetContext<Props, keyof typeof COPY.ko>;

/** Rows shown before "+ n more": the sheet stays short on phones. */
const SHOWN = 3;

function CartReminder({ ctx }: { ctx: Ctx }) {
  const { t, props, lang } = ctx;
  const items = validItems(props.items);
  const currency = typeof props.currency === 'string' ? props.currency : 'KRW';
  const cart = safeUrl(props.cart_url);
  const total = formatPrice(props.total, currency, lang);
  const code = typeof props.offer?.code === 'string' && props.offer.code.trim() ? props.offer.code : null;
  return (
    <div class="tp-cart">
      <span class="tp-eyebrow"><CartIcon /></span>
      <h2 id={ctx.titleId} class="tp-title">{t('title')}</h2>
      <p class="tp-body">{t('body')}</p>
      <ul class="tp-cart-items">
        {items.slice(0, SHOWN).map((item) => {
          const url = safeUrl(item.url);
          const price = formatPrice(item.price, item.currency ?? currency, lang);
          const name = <span class="tp-name">{item.name}</span>;
          return (
            <li class="tp-cart-item" key={item.item_id}>
              <ProductImage item={item} />
              <div class="tp-cart-text">
                {url ? <a href={url} class="tp-item-link" onClick={() => ctx.track('widget_click', { target: 'item', item_id: item.item_id })}>{name}</a> : name}
                <span class="tp-small">{t('quantity', { quantity: item.quantity ?? 1 })}</span>
              </div>
              {price ? <span class="tp-price">{price}</span> : null}
            </li>
          );
        })}
      </ul>
      {items.length > SHOWN ? <p class="tp-small tp-more">{t('more_items', { count: items.length - SHOWN })}</p> : null}
      {total ? (
        <p class="tp-total">
          <span>{t('total')}</span>
          <span class="tp-price">{total}</span>
        </p>
      ) : null}
      {code ? <OfferCode code={code} label={t('offer_label')} copyLabel={t('copy_code')} copiedLabel={t('copied')} onCopy={() => ctx.track('widget_click', { target: 'copy_code' })} /> : null}
      <div class="tp-actions">
        {cart ? <a class="tp-button" href={cart} onClick={() => ctx.track('widget_click', { target: 'cart', url: cart })}>{t('cta')}</a> : null}
        <button type="button" class="tp-link-button" onClick={() => ctx.close('later')}>{t('later')}</button>
      </div>
    </div>
  );
}

export const mount = defineWidget<Props, keyof typeof COPY.ko>({ copy: COPY, css: CONTENT_CSS + PRODUCT_CSS + OFFER_CSS + CSS, placement: () => 'modal', View: CartReminder });
