import { findCategory, PRODUCTS, productsIn } from '../catalog.js';
import { $, el, replaceChildren } from '../dom.js';
import { localized, t } from '../i18n.js';
import { breadcrumb, startPage } from '../layout.js';
import { productGrid, trackList } from '../product-card.js';
import { shopUrl } from '../urls.js';

const requested = new URLSearchParams(location.search).get('c');
const category = findCategory(requested);
// No ?c= lists everything; an unknown one says so.
const products = category ? productsIn(category.id) : requested ? [] : PRODUCTS;
const list = category ? { id: `category_${category.id}`, name: category.name.ko } : { id: 'all', name: '전체 상품' };

startPage({
  category: category?.id ?? 'all',
  title: () => (category ? localized(category.name) : t('category.all')),
  render() {
    const name = category ? localized(category.name) : t('category.all');
    replaceChildren($('#category-content'),
      breadcrumb([t('crumb.home'), shopUrl()], [name]),
      el('header', { class: 'page-header' },
        el('h1', { class: 'page-title' }, name),
        el('p', { class: 'page-lead' }, category ? localized(category.blurb) : requested ? t('category.notFound') : t('category.allBlurb')),
      ),
      el('p', { class: 'result-count' }, t('category.count', { n: products.length })),
      productGrid(products, list),
    );
  },
  track() {
    if (products.length) trackList(products, list);
  },
});
