import type { CopyDefaults } from '../shell/copy';

export const COPY = {
  ko: {
    title: '{benefit} 쿠폰이 곧 사라져요',
    benefit_fallback: '받으신',
    body: '쿠폰이 사라지기 전에 사용해 보세요.',
    time_left: '남은 시간',
    days_left: '{n}일 남음',
    days_hours_left: '{d}일 {h}시간 남음',
    hours_left: '{n}시간 남음',
    until: '{date}까지',
    offer_label: '쿠폰 코드',
    copy_code: '복사',
    copied: '복사됨',
    cta: '쿠폰 쓰러 가기',
    later: '다음에 할게요',
  },
  en: {
    title: 'Your {benefit} coupon ends soon',
    benefit_fallback: '',
    body: 'Use it before it is gone.',
    time_left: 'Time left',
    days_left: '{n} days left',
    days_hours_left: '{d} d {h} h left',
    hours_left: '{n} hours left',
    until: 'until {date}',
    offer_label: 'Coupon code',
    copy_code: 'Copy',
    copied: 'Copied',
    cta: 'Use my coupon',
    later: 'Maybe later',
  },
} satisfies CopyDefaults;
