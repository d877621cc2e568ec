import type { CopyDefaults } from '../shell/copy';

export const COPY = {
  ko: {
    title: '잠깐, 의견을 들려주세요',
    body: '30초면 끝나요. 더 나은 쇼핑몰을 만드는 데 쓰여요.',
    score: '{n}점',
    optional: '(선택)',
    text_placeholder: '자유롭게 적어 주세요.',
    chars_left: '{n}자 남음',
    need_answer: '이 질문에 답해 주세요.',
    submit: '보내기',
    later: '다음에 할게요',
    success_title: '의견 감사합니다',
    success_body: '남겨주신 의견은 더 나은 서비스를 만드는 데 소중히 쓸게요.',
    success_close: '닫기',
  },
  en: {
    title: 'Got a moment?',
    body: 'It takes 30 seconds and helps us do better.',
    score: '{n} out of 10',
    optional: '(optional)',
    text_placeholder: 'Tell us in your own words.',
    chars_left: '{n} characters left',
    need_answer: 'Please answer this question.',
    submit: 'Send',
    later: 'Not now',
    success_title: 'Thank you for your answers',
    success_body: 'We read every one of them and use them to do better.',
    success_close: 'Close',
  },
} satisfies CopyDefaults;
