import type { CopyDefaults } from '../shell/copy';

export const COPY = {
  ko: {
    title: '친구를 초대하고 함께 혜택 받으세요',
    body: '내 초대 링크로 친구가 가입하고 첫 구매를 하면 두 분 모두에게 혜택을 드려요.',
    link_label: '내 초대 링크',
    copy: '링크 복사',
    copied: '복사했어요',
    share: '공유하기',
    share_text: '이 쇼핑몰 좋아요. 내 초대 링크로 가입해 보세요!',
    joined: '가입한 친구 {n}명',
    ordered: '첫 구매한 친구 {n}명',
  },
  en: {
    title: 'Invite a friend, you both get a treat',
    body: 'When a friend joins through your link and places a first order, you both get a benefit.',
    link_label: 'Your invite link',
    copy: 'Copy link',
    copied: 'Copied',
    share: 'Share',
    share_text: 'I like this shop. Join through my invite link!',
    joined: '{n} friends joined',
    ordered: '{n} friends ordered',
  },
} satisfies CopyDefaults;
