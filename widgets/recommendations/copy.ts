import type { CopyDefaults } from '../shell/copy';

export const COPY = {
  ko: {
    title_viewed_together: '함께 많이 본 상품',
    title_bought_together: '함께 구매한 상품',
    title_trending: '지금 인기 있는 상품',
    title_recently_viewed: '최근 본 상품',
    title_personal: '취향 저격 추천 상품',
    title_catalog: '이런 상품은 어떠세요?',
    loading: '추천 상품을 불러오는 중',
  },
  en: {
    title_viewed_together: 'Shoppers who viewed this also viewed',
    title_bought_together: 'Frequently bought together',
    title_trending: 'Trending now',
    title_recently_viewed: 'Recently viewed',
    title_personal: 'Picked for you',
    title_catalog: 'You may also like',
    loading: 'Loading recommendations',
  },
} satisfies CopyDefaults;
