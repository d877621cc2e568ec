import { findCategory, PRODUCTS } from '../catalog.js';
import { pushSearch } from '../analytics.js';
import { $, el, replaceChildren } from '../dom.js';
import { t } from '../i18n.js';
import { breadcrumb, startPage } from '../layout.js';
import { productGrid, trackList } from '../product-card.js';
import { shopUrl } from '../urls.js';

const query = (new URLSearchParams(location.search).get('q') ?? '').trim().slice(0, 100);
const words = query.toLowerCase().split(/\s+/).filter(Boolean);
/** A product matches when every word appears in its Korean or English name, brand or category. */
const results = words.length
  ? PRODUCTS.filter((p) => {
      const category = findCategory(p.category);
      const haystack = [p.name.ko, p.name.en, p.brand, category?.name.ko, category?.name.en].join(' ').toLowerCase();
      return words.every((word) => haystack.includes(word));
    })
  : [];
const list = { id: 'search_results', name: '검색 결과' };

startPage({
  title: () => (query ? t('search.title', { q: query }) : t('search.pageTitle')),
  render() {
    replaceChildren($('#search-content'),
      breadcrumb([t('crumb.home'), shopUrl()], [t('search.pageTitle')]),
      el('header', { class: 'page-header' },
        el('h1', { class: 'page-title' }, query ? t('search.title', { q: query }) : t('search.pageTitle')),
        el('p', { class: 'page-lead' }, !query ? t('search.prompt') : results.length ? t('search.count', { n: results.length }) : t('search.empty')),
      ),
      results.length ? productGrid(results, list) : null,
    );
  },
  track() {
    if (!query) return;
    pushSearch(query);
    if (results.length) trackList(results, list);
  },
});
