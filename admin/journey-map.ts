// The journey map of the seeds (../shared/journey-map.md) as data: stages as rows, touch points as
// cells. A cell is covered by the campaigns named for it (the ready journey's ids) and by any
// campaign of a template listed for it whose audience reaches the cell's stage, and by hand-offs
// of a listed kind. Templates other branches add (welcome, points, referral, ...) cover their
// cells as soon as a campaign of theirs exists: nothing here needs to change.
import type { CampaignT, HandoffKind, SiteConfigT, StageT } from '../edge/contract';
import type { Lang } from './i18n';

export type JourneyRow = StageT | 'any';

export interface TouchPoint {
  id: string;
  row: JourneyRow;
  title: Record<Lang, string>;
  templates: readonly string[];
  campaigns: readonly string[];
  handoffs?: readonly HandoffKind[];
}

const tp = (id: string, row: JourneyRow, ko: string, en: string, templates: string[], campaigns: string[] = [], handoffs: HandoffKind[] = []): TouchPoint => ({ id, row, title: { ko, en }, templates, campaigns, handoffs });

export const JOURNEY_ROWS: readonly JourneyRow[] = ['prospect', 'any', 'new', 'active', 'at_risk', 'dormant', 'wakeup'];

export const TOUCH_POINTS: readonly TouchPoint[] = [
  tp('sign_up', 'prospect', '회원가입 유도', 'Sign up', ['signup_benefit'], ['signup_benefit']),
  tp('permission', 'prospect', '마케팅 수신 동의', 'Permission', ['marketing_consent'], ['marketing_consent']),
  tp('welcome', 'prospect', '가입 환영', 'Welcome', ['welcome']),
  tp('learn_interests', 'prospect', '관심사 파악 설문', 'Learn interests', ['survey']),
  tp('spark_interest', 'prospect', '첫 구매 관심 유도', 'Spark interest', [], ['new_member_first_purchase']),
  tp('first_purchase', 'prospect', '혜택 만료 전 첫 구매', 'First purchase before the benefit expires', ['benefit_expiry'], ['coupon_expiring'], ['benefit_expiring']),
  tp('recover_cart', 'any', '장바구니 이탈 회복', 'Recover a cart', ['cart_reminder'], ['cart_reminder'], ['cart_abandoned']),
  tp('recover_interest', 'any', '관심 상품 넛지', 'Interested-product nudge', ['interested_product'], ['interested_product']),
  tp('second_purchase', 'new', '두 번째 구매', 'Second purchase', ['second_purchase'], ['second_purchase']),
  tp('nps', 'new', '브랜드 인식 (NPS 설문)', 'Brand image (NPS)', ['survey']),
  tp('third_purchase', 'new', '3–5번째 구매 (스탬프)', '3rd–5th purchase (stamps)', ['stamp_mission']),
  tp('basket_size', 'new', '객단가 (추천)', 'Basket size', ['recommendations'], ['recommendations']),
  tp('word_of_mouth', 'active', '친구 추천', 'Word of mouth', ['referral']),
  tp('tier_care', 'active', '회원 등급 관리', 'Membership tier care', ['membership_tier'], ['tier_upgrade']),
  tp('repurchase', 'active', '재구매 주기', 'Repurchase', ['replenishment'], ['replenishment'], ['repurchase_due']),
  tp('points', 'active', '포인트 소멸·적립', 'Points', ['points'], ['points_expiring']),
  tp('reviews', 'active', '리뷰 요청', 'Reviews', ['review_prompt'], ['review_prompt']),
  tp('find_why', 'at_risk', '이탈 이유 설문', 'Find out why', ['survey']),
  tp('early_warning', 'at_risk', '이탈 위험 윈백', 'Early warning, win-back', [], ['churn_winback'], ['at_risk']),
  tp('dormant_notice', 'dormant', '휴면 전환 예정 안내', '"Dormant soon" notice', [], [], ['dormant_soon']),
  tp('welcome_back', 'wakeup', '복귀 환영', 'Welcome back', [], ['welcome_back']),
  tp('settle', 'wakeup', '복귀 후 다음 주문', 'Settle: the next order', []),
];

/** Campaigns placed in a cell: named for it, or of a listed template reaching its stage (a
 * campaign named for some other cell stays there). */
export function campaignsOf(point: TouchPoint, campaigns: readonly CampaignT[]): CampaignT[] {
  const named = new Set(TOUCH_POINTS.flatMap((p) => p.campaigns));
  return campaigns.filter((c) => {
    if (point.campaigns.includes(c.id)) return true;
    if (named.has(c.id) || !point.templates.includes(c.template)) return false;
    return point.row === 'any' || c.audience.stages.length === 0 || c.audience.stages.includes(point.row);
  });
}

export function handoffsOf(point: TouchPoint, config: SiteConfigT) {
  return config.handoffs.filter((h) => h.enabled !== false && (point.handoffs ?? []).includes(h.trigger.kind));
}

export type CampaignState = 'on' | 'off' | 'scheduled' | 'ended';

export function campaignState(c: CampaignT, now = Date.now()): CampaignState {
  if (!c.enabled) return 'off';
  if (c.schedule.end && Date.parse(c.schedule.end) <= now) return 'ended';
  if (c.schedule.start && Date.parse(c.schedule.start) > now) return 'scheduled';
  return 'on';
}

/** The touch point a campaign belongs to first, for the gallery's grouping. */
export const pointOfCampaign = (c: CampaignT) => TOUCH_POINTS.find((p) => campaignsOf(p, [c]).length > 0) ?? null;
