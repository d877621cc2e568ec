import type { SiteConfigT } from '../contract';
import { DAY_MS } from '../lib/time';
import { churnRisk, type ChurnEstimate } from './churn';
import { repurchaseFacts, type RepurchaseFact } from './repurchase';
import type { VisitorState } from './visitor-state';

/** What the shop knows of one shopper at `now`, as audiences read it and the admin profile view
 * shows it: order facts, sign-up, tier, points, coupons, repurchase dates, churn risk and survey
 * answers. Days are fractional (a range `max: 30` includes 30.0 days, not 30.5). Null: unknown. */
export interface ShopperFacts {
  orders: number;
  days_since_signup: number | null;
  days_since_first_order: number | null;
  days_since_last_order: number | null;
  total_order_value: number;
  average_order_value: number | null;
  tier: string | null;
  next_tier: string | null;
  amount_to_next_tier: number | null;
  tier_drops_at: number | null;
  points_balance: number | null;
  /** The shop's own stamp count (`stamps_updated`). */
  stamps: number | null;
  points_expiring: { amount: number; expires_at: number }[];
  coupons: { code: string; benefit: string; expires_at: number | null; issued_at: number }[];
  repurchase: RepurchaseFact[];
  /** Null when not read (no campaign and not the site's stage model needs it). */
  churn: ChurnEstimate | null;
  survey_answers: { survey: string; question: string; answers: string[] }[];
}

const daysSince = (at: number | null | undefined, now: number) => (at === null || at === undefined ? null : Math.max(0, now - at) / DAY_MS);

function parseJsonArray<T>(text: string | null | undefined): T[] {
  if (!text) return [];
  try {
    const value = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

export function shopperFacts(state: VisitorState, stages: SiteConfigT['stages'], now: number): ShopperFacts {
  const p = state.profile;
  const orders = p?.orders ?? 0;
  return {
    orders,
    days_since_signup: daysSince(p?.signed_up_at, now),
    days_since_first_order: daysSince(p?.first_purchase_at, now),
    days_since_last_order: daysSince(p?.last_purchase_at, now),
    total_order_value: p?.revenue ?? 0,
    average_order_value: orders > 0 ? (p?.revenue ?? 0) / orders : null,
    tier: p?.tier ?? null,
    next_tier: p?.next_tier ?? null,
    amount_to_next_tier: p?.amount_to_next_tier ?? null,
    tier_drops_at: p?.tier_drops_at ?? null,
    points_balance: p?.points_balance ?? null,
    stamps: p?.stamps ?? null,
    points_expiring: parseJsonArray<{ amount: number; expires_at: number }>(p?.points_expiring),
    coupons: state.coupons,
    repurchase: repurchaseFacts(state.purchased),
    churn: state.orderTimes ? churnRisk(state.orderTimes, now, stages.repurchase_window_days) : null,
    survey_answers: state.surveyAnswers.map((a) => ({ survey: a.survey, question: a.question, answers: parseJsonArray<string>(a.answers) })),
  };
}
