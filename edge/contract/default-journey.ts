import { copy, NPS_QUESTION, type CampaignInput } from './campaign';

/** The campaigns a new site starts with: the journey map's touch points that today's templates
 * can carry (../shared/journey-map.md), in Korean and English. The first seven keep the ids of
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
    name: '신규 회원 첫 구매 유도 / New member, first purchase',
    template: 'welcome_back',
    priority: 45,
    audience: { stages: ['prospect'], membership: 'member', consent: 'none', orders: { max: 0 }, days_since_signup: { max: 30 } },
    caps: { per_session: 1, per_day: 1, lifetime: 3, dismiss_cooldown_hours: 72, never_after_conversion: true },
    variants: [
      {
        id: 'default',
        copy: copy(
          { title: '가입을 환영해요!', body: '이번 달 신상품과 신규 회원 혜택을 확인해 보세요.', cta: '혜택 보러 가기', continue: '계속 둘러보기' },
          { title: 'Welcome aboard!', body: "See this month's new arrivals and your new-member benefit.", cta: 'See my benefit', continue: 'Keep browsing' },
        ),
      },
    ],
  },
  {
    id: 'second_purchase',
    name: '두 번째 구매 유도 / Second purchase',
    template: 'welcome_back',
    priority: 35,
    audience: { stages: ['new'], consent: 'none', orders: { min: 1, max: 1 }, days_since_last_order: { min: 3, max: 45 } },
    caps: { per_session: 1, per_day: 1, lifetime: 3, dismiss_cooldown_hours: 72, never_after_conversion: true },
    variants: [
      {
        id: 'default',
        copy: copy(
          { title: '첫 구매 고마워요!', body: '두 번째 주문을 준비하셨다면 지금 새로 들어온 상품을 만나 보세요.', cta: '새로운 상품 보기', continue: '계속 둘러보기' },
          { title: 'Thanks for your first order!', body: 'Ready for a second one? Have a look at what just came in.', cta: 'See new arrivals', continue: 'Keep browsing' },
        ),
      },
    ],
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
    template: 'welcome_back',
    enabled: false,
    priority: 65,
    audience: { stages: ['new', 'active', 'at_risk', 'wakeup'], membership: 'member', consent: 'none', points_expiring: { within_days: 14, min_amount: 1 } },
    caps: { per_session: 1, per_day: 1, lifetime: 3, dismiss_cooldown_hours: 72, never_after_conversion: false },
    variants: [
      {
        id: 'default',
        copy: copy(
          { title: '곧 사라지는 포인트가 있어요', body: '소멸 전에 포인트로 할인받으세요.', cta: '포인트 쓰러 가기', continue: '다음에 할게요' },
          { title: 'Some of your points expire soon', body: 'Use them for a discount before they are gone.', cta: 'Use my points', continue: 'Maybe later' },
        ),
      },
    ],
  },
  {
    id: 'tier_upgrade',
    name: '다음 등급 달성 유도 / Close to the next tier',
    template: 'welcome_back',
    enabled: false,
    priority: 55,
    audience: { stages: ['new', 'active', 'at_risk', 'wakeup'], membership: 'member', consent: 'none', amount_to_next_tier: { min: 1, max: 50000 } },
    caps: { per_session: 1, per_day: 1, lifetime: 3, dismiss_cooldown_hours: 168, never_after_conversion: false },
    variants: [
      {
        id: 'default',
        copy: copy(
          { title: '다음 등급까지 얼마 남지 않았어요', body: '조금만 더 구매하시면 다음 등급 혜택을 받으실 수 있어요.', cta: '쇼핑 계속하기', continue: '닫기' },
          { title: 'You are close to the next tier', body: 'A little more and the next tier’s benefits are yours.', cta: 'Keep shopping', continue: 'Close' },
        ),
      },
    ],
  },
  {
    id: 'coupon_expiring',
    name: '쿠폰 만료 임박 안내 / Coupon about to expire',
    template: 'welcome_back',
    enabled: false,
    priority: 60,
    audience: { stages: ['prospect', 'new', 'active', 'at_risk', 'wakeup'], membership: 'member', consent: 'none', coupons_expiring: { within_days: 3 } },
    caps: { per_session: 1, per_day: 1, lifetime: 2, dismiss_cooldown_hours: 48, never_after_conversion: true },
    variants: [
      {
        id: 'default',
        copy: copy(
          { title: '쿠폰이 곧 만료돼요', body: '받아두신 쿠폰, 만료 전에 사용해 보세요.', cta: '쿠폰 쓰러 가기', continue: '다음에 할게요' },
          { title: 'Your coupon expires soon', body: 'Use the coupon you were given before it runs out.', cta: 'Use my coupon', continue: 'Maybe later' },
        ),
      },
    ],
  },
  {
    id: 'replenishment',
    name: '재구매 주기 알림 / Time to reorder',
    template: 'welcome_back',
    enabled: false,
    priority: 58,
    audience: { stages: ['new', 'active', 'at_risk', 'wakeup'], consent: 'none', repurchase_due: { days_before: 3, days_after: 14 } },
    caps: { per_session: 1, per_day: 1, lifetime: null, dismiss_cooldown_hours: 168, never_after_conversion: false },
    variants: [
      {
        id: 'default',
        copy: copy(
          { title: '다시 주문하실 때가 됐어요', body: '자주 사시던 상품, 떨어지기 전에 미리 준비하세요.', cta: '다시 주문하기', continue: '다음에 할게요' },
          { title: 'Time to reorder?', body: 'Your usual is probably running low. Stock up before it runs out.', cta: 'Reorder', continue: 'Maybe later' },
        ),
      },
    ],
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
