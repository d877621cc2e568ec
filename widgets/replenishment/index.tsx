import { useState } from 'preact/hooks';
import type { WidgetPropsOf } from '../../edge/contract';
import { safeUrl } from '../shell/checks';
import CONTENT_CSS from '../shell/content.css';
import { defineWidget, type WidgetContext } from '../shell/define-widget';
import JOURNEY_CSS from '../shell/journey.css';
import { cardPlacement } from '../shell/journey';
import PRODUCT_CSS from '../shell/product.css';
import { formatPrice, ProductImage, validItems } from '../shell/product';
import { COPY } from './copy';
import CSS from './styles.css';

type Props = WidgetPropsOf<'replenishment'>;
type Ctx = WidgetContext<Props, keyof typeof COPY.ko>;

/** The event a shop's page handles to add the product itself (and calls preventDefault() on);
 * unhandled, the card follows `add_to_cart_url`. */
export const ADD_TO_CART_EVENT = 'touchpoint:add-to-cart';

function Replenishment({ ctx }: { ctx: Ctx }) {
  const { t, props, lang } = ctx;
  const [added, setAdded] = useState(false);
  const item = validItems([props.item])[0];
  if (!item) {
    queueMicrotask(() => ctx.close('empty'));
    return null;
  }
  const url = safeUrl(item.url);
  const price = formatPrice(item.price, item.currency, lang);
  const addUrl = safeUrl(props.add_to_cart_url);
  const cartUrl = safeUrl(props.cart_url);
  const name = <span class="tp-name">{item.name}</span>;
  const add = () => {
    ctx.track('widget_click', { target: 'add_to_cart', item_id: item.item_id });
    const event = new CustomEvent(ADD_TO_CART_EVENT, { cancelable: true, detail: { item_id: item.item_id, quantity: 1, price: item.price, currency: item.currency } });
    if (!window.dispatchEvent(event)) {
      ctx.completed();
      setAdded(true);
    } else if (addUrl) location.assign(addUrl);
  };
  return (
    <div class="tp-card tp-restock">
      <h2 id={ctx.titleId} class="tp-title">{t('title')}</h2>
      <p class="tp-body">{t('body')}</p>
      <div class="tp-restock-item">
        <ProductImage item={item} />
        <div class="tp-restock-text">
          {url ? <a href={url} class="tp-item-link" onClick={() => ctx.track('widget_click', { target: 'item', item_id: item.item_id })}>{name}</a> : name}
          {price ? <span class="tp-price">{price}</span> : null}
        </div>
      </div>
      <div class="tp-actions">
        {added ? (
          <>
            <p class="tp-added" role="status">{t('added')}</p>
            {cartUrl ? <a class="tp-button" href={cartUrl} onClick={() => ctx.track('widget_click', { target: 'cart', url: cartUrl })}>{t('cart')}</a> : null}
          </>
        ) : (
          <button type="button" class="tp-button" onClick={add}>{t('cta')}</button>
        )}
        <button type="button" class="tp-link-button" onClick={() => ctx.close('later')}>{t('later')}</button>
      </div>
    </div>
  );
}

export const mount = defineWidget<Props, keyof typeof COPY.ko>({ copy: COPY, css: CONTENT_CSS + PRODUCT_CSS + JOURNEY_CSS + CSS, placement: cardPlacement, View: Replenishment });
