import { copy, NPS_QUESTION, type CampaignInput } from './campaign';

/** The campaigns a new site starts with: the journey map's touch points
 * (../shared/journey-map.md), in Korean and English (a template's own copy unless set here). The first seven keep the ids of
 * the widgets they were before campaigns (a config of the old shape migrates onto the same ids).
 * Campaigns that need data only the shop's server sends (points, tiers, coupons) or that enough
 * repeat purchases teach (repurchase cycles) start switched off; the marketer turns them on once
 * that data arrives. */
export const DEFAULT_JOURNEY: readonly CampaignInput[] = [
  { id: 'signup_benefit', name: '가입 혜택 (방문 고객) / Sign-up benefit', template: 'signup_benefit' },
  { id: 'cart_reminder', name: '장바구니 리마인드 / Cart reminder', template: 'cart_reminder' },
  { id: 'recommendations', name: '추천 상품 / Recommended products', template: 'recommendations' },
  { id: 'review_prompt', name: '리뷰 요청 / Review request', template: 'review_prompt' },
  { id: 'marketing_consent', name: '마케팅 수신 동의 혜택 / Marketing consent benefit', template: 'marketing_consent' },
  { id: 'interested_product', name: '관심 상품 넛지 / Interested-product nudge', template: 'interested_product' },
  { id: 'welcome_back', name: '휴면 고객 웰컴백 / Welcome back', template: 'welcome_back' },
  {
    id: 'new_member_first_purchase',
    name: '신규 회원 환영 / Welcome, new member',
    template: 'welcome',
  },
  {
    id: 'second_purchase',
    name: '두 번째 구매 유도 / Second purchase',
    template: 'second_purchase',
    audience: { stages: ['new', 'wakeup'], consent: 'none', days_since_last_order: { min: 3, max: 45 } },
  },
  {
    id: 'churn_winback',
    name: '이탈 위험 고객 윈백 / Win back shoppers at risk',
    template: 'welcome_back',
    priority: 70,
    audience: { stages: ['new', 'active', 'at_risk'], consent: 'marketing', orders: { min: 1 }, churn_risk: { min: 0.8 } },
    caps: { per_session: 1, per_day: 1, lifetime: 2, dismiss_cooldown_hours: 168, never_after_conversion: true },
    variants: [
      {
        id: 'default',
        copy: copy(
          { title: '오랜만이에요!', body: '자주 찾으시던 상품, 다시 만나 보실래요? 새로 들어온 상품도 준비해 두었어요.', cta: '둘러보기', continue: '다음에 할게요' },
          { title: 'It has been a while!', body: 'Your usual favourites are waiting, and a few new arrivals too.', cta: 'Take a look', continue: 'Maybe later' },
        ),
      },
    ],
  },
  {
    id: 'points_expiring',
    name: '포인트 소멸 예정 안내 / Points expiring',
    template: 'points',
    enabled: false,
    audience: { stages: ['new', 'active', 'at_risk', 'wakeup'], membership: 'member', consent: 'none', points_expiring: { within_days: 14, min_amount: 1 } },
    settings: { expiring_within_days: 14 },
  },
  {
    id: 'tier_upgrade',
    name: '멤버십 등급 안내 (승급 임박, 등급 하락 예정, 승급 축하) / Membership tier',
    template: 'membership_tier',
    enabled: false,
  },
  {
    id: 'coupon_expiring',
    name: '쿠폰 만료 임박 안내 / Coupon about to expire',
    template: 'benefit_expiry',
    enabled: false,
  },
  {
    id: 'replenishment',
    name: '재구매 주기 알림 / Time to restock',
    template: 'replenishment',
    enabled: false,
  },
  // ---- The journey's touch points (issue 16) that had no campaign before their templates.
  { id: 'stamp_mission', name: '스탬프 미션 (2~5번째 구매) / Stamp mission', template: 'stamp_mission' },
  {
    id: 'points_unused',
    name: '미사용 포인트 안내 / Points never used',
    template: 'points',
    enabled: false,
    priority: 40,
    settings: { expiring_within_days: 0, min_balance: 3000 },
  },
  {
    // Brand NPS from customers between their 2nd and 4th order; a detractor (6 or less) goes to the
    // shop's hand-off webhook so someone can follow up.
    id: 'nps_survey',
    name: '브랜드 추천 의향(NPS) 설문 / Brand NPS survey',
    template: 'survey',
    audience: { stages: ['new', 'active', 'at_risk', 'wakeup'], consent: 'none', orders: { min: 2, max: 4 } },
    settings: {
      questions: [
        NPS_QUESTION,
        { id: 'reason', kind: 'text', text: { ko: '그렇게 답하신 이유를 알려주세요. (선택)', en: 'What is the main reason for your score? (optional)' }, max_length: 200, required: false },
      ],
      recontact_days: 90,
    },
  },
  {
    // Repeat buyers invite friends from their account page (`<div data-touchpoint="referral">`).
    id: 'referral',
    name: '친구 초대 / Invite a friend',
    template: 'referral',
    audience: { stages: ['new', 'active', 'at_risk', 'wakeup'], membership: 'member', consent: 'none', orders: { min: 2 } },
  },
];
