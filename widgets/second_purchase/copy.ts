import type { CopyDefaults } from '../shell/copy';

export const COPY = {
  ko: {
    title: '첫 구매 고마워요!',
    body: '두 번째 주문에 쓸 수 있는 혜택을 준비했어요.',
    title_wakeup: '다시 만나 반가워요!',
    body_wakeup: '돌아오신 기념으로 다음 주문에 쓸 수 있는 혜택을 준비했어요.',
    offer_label: '다음 주문 쿠폰',
    copy_code: '복사',
    copied: '복사됨',
    cta: '혜택 받고 쇼핑하기',
    later: '계속 둘러보기',
  },
  en: {
    title: 'Thanks for your first order!',
    body: 'Here is something for your second one.',
    title_wakeup: 'Good to see you again!',
    body_wakeup: 'Welcome back: here is something for your next order.',
    offer_label: 'Code for your next order',
    copy_code: 'Copy',
    copied: 'Copied',
    cta: 'Shop with my benefit',
    later: 'Keep browsing',
  },
} satisfies CopyDefaults;
