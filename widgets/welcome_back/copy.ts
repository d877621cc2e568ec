import type { CopyDefaults } from '../shell/copy';

export const COPY = {
  ko: {
    title: '다시 찾아주셔서 반가워요!',
    body: '그동안 새로 들어온 상품과 혜택을 준비해 두었어요.',
    offer_label: '돌아오신 기념 쿠폰',
    copy_code: '복사',
    copied: '복사됨',
    cta: '새로운 상품 보러 가기',
    continue: '쇼핑 계속하기',
  },
  en: {
    title: 'Welcome back!',
    body: "We've saved some new arrivals and a little something for you.",
    offer_label: 'Your welcome-back code',
    copy_code: 'Copy',
    copied: 'Copied',
    cta: "See what's new",
    continue: 'Continue shopping',
  },
} satisfies CopyDefaults;
