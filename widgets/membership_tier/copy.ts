import type { CopyDefaults } from '../shell/copy';

export const COPY = {
  ko: {
    title: '{next_tier}까지 {amount} 남았어요',
    body: '조금만 더 구매하시면 {next_tier} 등급이 돼요.',
    title_drop: '{tier} 등급이 {date}에 끝나요',
    body_drop: '그 전에 구매하시면 등급을 지킬 수 있어요.',
    title_up: '{tier} 등급이 되셨어요!',
    body_up: '축하해요! 이제 {tier} 등급 혜택을 누리세요.',
    current: '현재 등급',
    to_next: '{next_tier}까지',
    benefit: '등급 혜택: {benefit}',
    as_of: '{date} 기준',
    cta: '쇼핑하러 가기',
    later: '닫기',
  },
  en: {
    title: '{amount} to go until {next_tier}',
    body: 'A little more and you reach {next_tier}.',
    title_drop: 'Your {tier} tier ends on {date}',
    body_drop: 'Order before then to keep it.',
    title_up: 'You are now {tier}!',
    body_up: 'Congratulations! Enjoy your {tier} benefits.',
    current: 'Your tier',
    to_next: 'To {next_tier}',
    benefit: 'Tier benefit: {benefit}',
    as_of: 'As of {date}',
    cta: 'Go shopping',
    later: 'Close',
  },
} satisfies CopyDefaults;
