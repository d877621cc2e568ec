import { useEffect, useState } from 'preact/hooks';
import type { ProductCardT, RecommendationSourceT, RecommendationStrategyT, WidgetPropsOf } from '../../edge/contract';
import { defineWidget, type WidgetContext } from '../shell/define-widget';
import PRODUCT_CSS from '../shell/product.css';
import { formatPrice, ProductImage, validItems } from '../shell/product';
import { safeUrl } from '../shell/checks';
import { COPY } from './copy';
import { fetchRecommendations, STRATEGIES } from './fetch';
import CSS from './styles.css';

type Props = WidgetPropsOf<'recommendations'>;
type Ctx = WidgetContext<Props, keyof typeof COPY.ko>;

/** The shop's slot may say what it wants: data-strategy, data-limit, data-item-id. */
function request(ctx: Ctx) {
  const data = ctx.slot?.dataset ?? {};
  const strategy = [data.strategy, ctx.props.strategy].find((s): s is RecommendationStrategyT => STRATEGIES.includes(s as RecommendationStrategyT)) ?? 'trending';
  const limit = Math.min(24, Math.max(1, Math.round(Number(data.limit ?? ctx.props.limit ?? 8)) || 8));
  const itemId = [ctx.props.item_id, data.itemId].find((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 128);
  return { strategy, limit, itemId };
}

/** The heading says where the items came from: the strategy asked for, or the fallback that filled the shelf. */
function title(ctx: Ctx, strategy: RecommendationStrategyT, sources: RecommendationSourceT[]) {
  const shown = sources.length === 0 || sources.includes(strategy) ? strategy : sources[0]!;
  return ctx.t(`title_${shown}`);
}

function Card({ ctx, item, position }: { ctx: Ctx; item: ProductCardT; position: number }) {
  const url = safeUrl(item.url);
  const price = formatPrice(item.price, item.currency, ctx.lang);
  const content = (
    <>
      <ProductImage item={item} class="tp-card-image" />
      <span class="tp-name tp-card-name">{item.name}</span>
      {price ? <span class="tp-price tp-card-price">{price}</span> : <span class="tp-card-price" />}
    </>
  );
  return (
    <li class="tp-card">
      {url ? (
        <a class="tp-card-link" href={url} onClick={() => ctx.track('widget_click', { target: 'item', item_id: item.item_id, position })}>{content}</a>
      ) : (
        <div class="tp-card-link">{content}</div>
      )}
    </li>
  );
}

function Skeleton({ count }: { count: number }) {
  return (
    <ul class="tp-recs-row" aria-hidden="true">
      {Array.from({ length: count }, (_, i) => (
        <li class="tp-card" key={i}>
          <div class="tp-card-link">
            <span class="tp-card-image tp-shimmer" />
            <span class="tp-card-name tp-bar tp-shimmer" />
            <span class="tp-card-price tp-bar tp-bar-short tp-shimmer" />
          </div>
        </li>
      ))}
    </ul>
  );
}

type Shelf = Awaited<ReturnType<typeof fetchRecommendations>>;

/** The shelf the decision brought, when the slot asks for the same one; else a request for it,
 * sent with the first render rather than after its paint (when effects run). */
function shelfFor(ctx: Ctx, asked: ReturnType<typeof request>): Shelf | Promise<Shelf> {
  const { items, sources, strategy, limit = 8, item_id } = ctx.props;
  const same = asked.strategy === strategy && asked.limit === limit && asked.itemId === item_id;
  return Array.isArray(items) && same ? { items, sources: sources ?? [] } : fetchRecommendations(ctx.host, asked);
}

function Recommendations({ ctx }: { ctx: Ctx }) {
  const [{ strategy, limit, answer }] = useState(() => {
    const asked = request(ctx);
    return { ...asked, answer: shelfFor(ctx, asked) };
  });
  const [result, setResult] = useState<Shelf | null>(() => {
    const items = 'items' in answer ? validItems(answer.items, limit) : [];
    return items.length ? { items, sources: (answer as Shelf).sources } : null;
  });

  useEffect(() => {
    let live = true;
    void Promise.resolve(answer).then(({ items, sources }) => {
      if (!live) return;
      const shown = validItems(items, limit);
      if (shown.length === 0) return ctx.close('empty');
      setResult((given) => given ?? { items: shown, sources });
      ctx.ready({ strategy, sources, items: shown.map((i) => i.item_id) });
    });
    return () => void (live = false);
  }, []);

  const heading = result ? title(ctx, strategy, result.sources) : ctx.t(`title_${strategy}`);
  return (
    <section class="tp-recs" aria-labelledby={ctx.titleId} aria-busy={result ? 'false' : 'true'}>
      <h2 id={ctx.titleId} class="tp-recs-title">{heading}</h2>
      {result ? (
        <ul class="tp-recs-row">
          {result.items.map((item, i) => <Card key={item.item_id} ctx={ctx} item={item} position={i + 1} />)}
        </ul>
      ) : (
        <>
          <p class="tp-visually-hidden" role="status">{ctx.t('loading')}</p>
          <Skeleton count={Math.min(limit, 6)} />
        </>
      )}
    </section>
  );
}

export const mount = defineWidget<Props, keyof typeof COPY.ko>({
  copy: COPY,
  css: PRODUCT_CSS + CSS,
  loadsData: true,
  placement: (props, slot) => (props.layout === 'drawer' || !slot ? 'drawer' : 'inline'),
  View: Recommendations,
});
