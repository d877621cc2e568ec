import type { CopyDefaults } from '../shell/copy';

export const COPY = {
  ko: {
    title: '스탬프 {stamps}개를 모았어요',
    body: '주문할 때마다 스탬프가 하나씩 찍혀요.',
    progress: '스탬프 {goal}개 중 {stamps}개',
    stamp_done: '{n}번째 주문 완료',
    stamp_todo: '{n}번째 주문',
    next: '다음 스탬프({at}번째 주문): {benefit}',
    final: '{goal}개를 모두 모으면: {benefit}',
    cta: '쇼핑하고 스탬프 받기',
    later: '다음에 할게요',
  },
  en: {
    title: 'You have {stamps} stamps',
    body: 'Every order earns a stamp.',
    progress: '{stamps} of {goal} stamps',
    stamp_done: 'Order {n} done',
    stamp_todo: 'Order {n}',
    next: 'Next stamp (order {at}): {benefit}',
    final: 'Collect all {goal}: {benefit}',
    cta: 'Shop for a stamp',
    later: 'Maybe later',
  },
} satisfies CopyDefaults;
