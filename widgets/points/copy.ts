import type { CopyDefaults } from '../shell/copy';

export const COPY = {
  ko: {
    title: '{amount}P가 {date}에 사라져요',
    title_unused: '쓰지 않은 포인트 {balance}P가 있어요',
    body: '주문할 때 포인트로 바로 할인받으세요.',
    balance: '보유 포인트',
    points: '{n}P',
    expiring: '{date} 소멸 예정 {amount}P',
    as_of: '{date} 기준',
    cta: '포인트 쓰러 가기',
    later: '다음에 할게요',
  },
  en: {
    title: '{amount} points expire on {date}',
    title_unused: 'You have {balance} points to spend',
    body: 'Use them for a discount on your next order.',
    balance: 'Your points',
    points: '{n} P',
    expiring: '{amount} P expire on {date}',
    as_of: 'As of {date}',
    cta: 'Use my points',
    later: 'Maybe later',
  },
} satisfies CopyDefaults;
