import type { CopyDefaults } from '../shell/copy';

export const COPY = {
  ko: {
    title: '장바구니에 담아둔 상품이 있어요',
    body: '품절되기 전에 주문을 마무리해 보세요.',
    quantity: '수량 {quantity}개',
    more_items: '외 {count}개 상품',
    total: '총 상품금액',
    cta: '장바구니 보러 가기',
    later: '계속 둘러볼게요',
    offer_label: '지금 주문하면 쓸 수 있는 쿠폰',
    copy_code: '복사',
    copied: '복사됨',
  },
  en: {
    title: 'You left something in your cart',
    body: 'Finish your order before these sell out.',
    quantity: 'Qty {quantity}',
    more_items: '+ {count} more',
    total: 'Subtotal',
    cta: 'Go to my cart',
    later: 'Keep browsing',
    offer_label: 'A code for this order',
    copy_code: 'Copy',
    copied: 'Copied',
  },
} satisfies CopyDefaults;
