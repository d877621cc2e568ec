/** The shop facts a hand-off's audience asks of a member, read and judged the way a campaign's
 * audience is at decide time (edge/decide/shopper-facts.ts, audience-facts.ts), so one condition
 * means one thing on the site and off it. */
import { Audience, type HandoffAudienceT, type SiteConfigT } from '../contract';
import { factsVerdict } from '../decide/audience-facts';
import type { CompiledConfig, FactNeeds } from '../decide/compile-config';
import { shopperFacts } from '../decide/shopper-facts';
import { readVisitorState } from '../decide/visitor-state';

/** An audience with every on-site condition open, for the fact check. */
const OPEN = Audience({ stages: [], consent: 'none' }).parse({});

const anyRange = (r: { min: number | null; max: number | null }) => r.min !== null || r.max !== null;

/** Does this audience ask anything at all? Most hand-offs do not, and then no member is read. */
export function asksFacts(a: HandoffAudienceT): boolean {
  return (
    [a.orders, a.days_since_signup, a.days_since_first_order, a.days_since_last_order, a.total_order_value, a.average_order_value, a.amount_to_next_tier, a.points_balance, a.churn_risk].some(anyRange) ||
    a.tiers.length > 0 ||
    a.tier_drops_within_days !== null ||
    a.points_expiring !== null ||
    a.coupons_expiring !== null ||
    a.repurchase_due !== null ||
    a.survey_answers.length > 0
  );
}

const needsOf = (a: HandoffAudienceT): FactNeeds => ({
  orderTimes: anyRange(a.churn_risk),
  coupons: a.coupons_expiring !== null,
  repurchase: a.repurchase_due !== null,
  surveys: a.survey_answers.length > 0,
});

/** Members ('u:<id>') among these whose facts fit the audience now. */
export async function membersMatching(db: D1Database, site: string, timezone: string, compiled: CompiledConfig, stages: SiteConfigT['stages'], audience: HandoffAudienceT, members: readonly string[], now: number): Promise<Set<string>> {
  const full = { ...OPEN, ...audience };
  const needs = needsOf(audience);
  const fits = new Set<string>();
  // A few members at a time: each is one D1 batch.
  for (let i = 0; i < members.length; i += 10) {
    await Promise.all(
      members.slice(i, i + 10).map(async (member) => {
        const state = await readVisitorState(db, { site, anon_id: null, user_id: member.slice(2), session_id: null, timezone }, compiled, now, needs);
        if (factsVerdict(full, shopperFacts(state, stages, now), now) === null) fits.add(member);
      }),
    );
  }
  return fits;
}
