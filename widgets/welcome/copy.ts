import type { CopyDefaults } from '../shell/copy';

export const COPY = {
  ko: {
    title: '가입을 환영해요!',
    body: '가입 혜택이 도착했어요. 주문서에서 쿠폰을 선택하면 바로 할인돼요.',
    offer_label: '가입 혜택 쿠폰',
    until: '{date}까지 사용할 수 있어요',
    copy_code: '복사',
    copied: '복사됨',
    cta: '지금 혜택 쓰러 가기',
    later: '계속 둘러보기',
  },
  en: {
    title: 'Welcome aboard!',
    body: 'Your sign-up benefit is here. Pick the coupon at checkout and the discount applies at once.',
    offer_label: 'Your sign-up coupon',
    until: 'Use it by {date}',
    copy_code: 'Copy',
    copied: 'Copied',
    cta: 'Use it now',
    later: 'Keep browsing',
  },
} satisfies CopyDefaults;
