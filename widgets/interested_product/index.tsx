import type { WidgetPropsOf } from '../../edge/contract';
import CONTENT_CSS from '../shell/content.css';
import { defineWidget, type WidgetContext } from '../shell/define-widget';
import PRODUCT_CSS from '../shell/product.css';
import { formatPrice, ProductImage, validItems } from '../shell/product';
import { safeUrl } from '../shell/checks';
import { COPY } from './copy';
import CSS from './styles.css';


type Props = WidgetPropsOf<'interested_product'>;
type Ctx = WidgetContext<Props, keyof typeof COPY.ko>;

/** A quiet nudge in the corner, not a dialog: it never takes focus from the page. */
function InterestedProduct({ ctx }: { ctx: Ctx }) {
  const { t, props, lang } = ctx;
  const [item] = validItems([props.item]);
  if (!item) return null;
  const url = safeUrl(item.url);
  const price = formatPrice(item.price, item.currency, lang);
  const views = typeof props.views === 'number' && props.views > 0 ? props.views : 3;
  return (
    <div class="tp-nudge">
      <h2 id={ctx.titleId} class="tp-nudge-title">{t('title')}</h2>
      <div class="tp-nudge-product">
        <ProductImage item={item} />
        <div class="tp-nudge-text">
          <span class="tp-name tp-nudge-name">{item.name}</span>
          {price ? <span class="tp-price">{price}</span> : null}
          <span class="tp-small">{t('body', { views })}</span>
        </div>
      </div>
      {url ? (
        <a class="tp-button tp-nudge-cta" href={url} onClick={() => ctx.track('widget_click', { target: 'item', item_id: item.item_id })}>{t('cta')}</a>
      ) : null}
    </div>
  );
}

export const mount = defineWidget<Props, keyof typeof COPY.ko>({ copy: COPY, css: CONTENT_CSS + PRODUCT_CSS + CSS, placement: () => 'toast', View: InterestedProduct });
