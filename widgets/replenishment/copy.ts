import type { CopyDefaults } from '../shell/copy';

export const COPY = {
  ko: {
    title: '다시 채워둘 때가 됐어요',
    body: '자주 사시던 상품, 떨어지기 전에 미리 준비하세요.',
    cta: '장바구니 담기',
    added: '장바구니에 담았어요',
    cart: '장바구니 보기',
    later: '다음에 할게요',
  },
  en: {
    title: 'Time to restock?',
    body: 'Your usual is probably running low. Stock up before it runs out.',
    cta: 'Add to cart',
    added: 'Added to your cart',
    cart: 'View cart',
    later: 'Maybe later',
  },
} satisfies CopyDefaults;
