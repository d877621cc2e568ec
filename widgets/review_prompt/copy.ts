import type { CopyDefaults } from '../shell/copy';

export const COPY = {
  ko: {
    title: '구매하신 상품은 만족스러우셨나요?',
    body: '별점 한 번이면 충분해요. 다른 고객에게 큰 도움이 돼요.',
    rating_legend: '{name} 별점',
    star: '{n}점',
    text_label: '후기 (선택)',
    text_placeholder: '좋았던 점이나 아쉬운 점을 남겨 주세요.',
    submit: '후기 남기기',
    later: '다음에 할게요',
    need_rating: '별점을 하나 이상 선택해 주세요.',
    success_title: '소중한 후기 감사합니다',
    success_body: '남겨주신 후기는 다른 고객의 선택에 큰 도움이 돼요.',
    success_close: '닫기',
  },
  en: {
    title: 'How did you like your purchase?',
    body: 'One tap is enough, and it really helps other shoppers.',
    rating_legend: 'Your rating for {name}',
    star: '{n} out of 5',
    text_label: 'Review (optional)',
    text_placeholder: 'What did you like, or what could be better?',
    submit: 'Submit review',
    later: 'Not now',
    need_rating: 'Please choose a star rating first.',
    success_title: 'Thank you for your review',
    success_body: 'It helps other shoppers choose well.',
    success_close: 'Close',
  },
} satisfies CopyDefaults;
