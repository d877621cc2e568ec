import { CATEGORIES, findProduct, PRODUCTS, productsIn } from '../catalog.js';
import { $, el, replaceChildren } from '../dom.js';
import { localized, t } from '../i18n.js';
import { startPage } from '../layout.js';
import { productGrid, productImage, trackList } from '../product-card.js';
import { categoryUrl } from '../urls.js';

const BEST = { id: 'home_best', name: '홈 베스트' };
const NEW = { id: 'home_new', name: '홈 신상품' };
const best = PRODUCTS.filter((p) => p.badge === 'best').concat(PRODUCTS.filter((p) => p.listPrice)).slice(0, 8);
const fresh = PRODUCTS.filter((p) => p.badge === 'new');

startPage({
  title: () => t('home.title'),
  render() {
    const [mug, kettle] = [findProduct('k-mug'), findProduct('k-kettle')];
    replaceChildren($('#home-top'),
      el('section', { class: 'hero' },
        el('div', { class: 'hero-text' },
          el('p', { class: 'hero-eyebrow' }, t('home.heroEyebrow')),
          el('h1', { class: 'hero-title' }, t('home.heroTitle')),
          el('p', {}, t('home.heroText')),
          el('a', { class: 'button button-primary', href: categoryUrl('kitchen') }, t('home.heroCta')),
        ),
        el('div', { class: 'hero-art', 'aria-hidden': 'true' }, productImage(mug, { loading: 'eager' }), productImage(kettle, { loading: 'eager' })),
      ),
      el('ul', { class: 'benefits' },
        el('li', {}, t('home.benefitShipping')),
        el('li', {}, t('home.benefitToday')),
        el('li', {}, t('home.benefitReturn')),
      ),
      el('section', { class: 'section', 'aria-labelledby': 'home-categories' },
        el('h2', { id: 'home-categories', class: 'section-title' }, t('home.categories')),
        el('ul', { class: 'category-tiles' }, CATEGORIES.map((category) =>
          el('li', {},
            el('a', { class: 'category-tile', href: categoryUrl(category.id) },
              productImage(findProduct(category.cover) ?? productsIn(category.id)[0]),
              el('span', { class: 'category-tile-name' }, localized(category.name)),
              el('span', { class: 'category-tile-blurb' }, localized(category.blurb)),
            ),
          ),
        )),
      ),
    );
    replaceChildren($('#home-lists'),
      el('section', { class: 'section', 'aria-labelledby': 'home-best' },
        el('h2', { id: 'home-best', class: 'section-title' }, t('home.best')),
        productGrid(best, BEST),
      ),
      el('section', { class: 'section', 'aria-labelledby': 'home-new' },
        el('h2', { id: 'home-new', class: 'section-title' }, t('home.new')),
        productGrid(fresh, NEW),
      ),
    );
  },
  track() {
    trackList(best, BEST);
    trackList(fresh, NEW);
  },
});
