import type { CopyDefaults } from '../shell/copy';

export const COPY = {
  ko: {
    title: '아직 고민 중이신가요?',
    body: '{views}번이나 보신 상품이에요. 지금 다시 확인해 보세요.',
    cta: '상품 다시 보기',
  },
  en: {
    title: 'Still thinking it over?',
    body: "You've looked at this {views} times. Take another look.",
    cta: 'View product',
  },
} satisfies CopyDefaults;
