import type { CopyDefaults } from '../shell/copy';

export const COPY = {
  ko: {
    eyebrow: '알림 받고 혜택 받기',
    title: '할인 소식을 가장 먼저 받아보세요',
    body: '광고성 정보 수신에 동의하시면 동의 회원 전용 쿠폰과 특가 소식을 보내드려요. 언제든 철회할 수 있어요.',
    email_label: '받으실 이메일',
    email_placeholder: 'name@example.com',
    email_invalid: '이메일 주소를 확인해 주세요.',
    note: '(선택) 동의하지 않아도 쇼핑에는 아무 제한이 없어요.',
    privacy_link: '개인정보 처리방침',
    agree: '동의하고 혜택 받기',
    decline: '괜찮아요',
    success_title: '수신 동의가 완료되었어요',
    success_body: '새로운 혜택이 생기면 가장 먼저 알려드릴게요.',
    success_close: '닫기',
  },
  en: {
    eyebrow: 'Offers, first',
    title: 'Be the first to hear about deals',
    body: 'Opt in to marketing messages for subscriber-only coupons and early sale alerts. Unsubscribe anytime.',
    email_label: 'Your email',
    email_placeholder: 'name@example.com',
    email_invalid: 'Please check the email address.',
    note: 'Optional. Saying no does not limit your shopping in any way.',
    privacy_link: 'Privacy policy',
    agree: 'Yes, send me offers',
    decline: 'No thanks',
    success_title: "You're subscribed",
    success_body: "We'll let you know first when there's something for you.",
    success_close: 'Close',
  },
} satisfies CopyDefaults;
