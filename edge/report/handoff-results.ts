/** What each hand-off's messages earned: members who entered its audience in the period, by
 * group, and those of them who ordered within the hand-off's conversion window after entering
 * (revenue net of what was refunded of those orders).
 * Sent against held out is the message's lift (edge/report/lift.ts); members of the store-wide
 * control group, refused for want of consent or capped are counted beside it, outside the comparison. */
import type { HandoffReportT, SiteConfigT } from '../contract';
import { DAY_MS } from '../lib/time';
import { compareGroups } from './lift';

const ORDERS_AFTER = `FROM orders o WHERE o.site = m.site AND o.visitor_id = m.visitor_id AND o.ts > m.moment_at AND o.ts <= m.moment_at + h.window_ms`;

export const READ_HANDOFF_RESULTS = `
WITH h(id, window_ms) AS (SELECT value ->> '$.id', value ->> '$.window_ms' FROM json_each(?4))
SELECT m.handoff, m.grp, count(*) AS members,
       sum(EXISTS (SELECT 1 ${ORDERS_AFTER})) AS conversions,
       coalesce(sum((SELECT sum(o.value - o.refunded) ${ORDERS_AFTER})), 0) AS revenue
FROM handoff_members m JOIN h ON h.id = m.handoff
WHERE m.site = ?1 AND m.moment_at >= ?2 AND m.moment_at < ?3
GROUP BY m.handoff, m.grp`;

/** The windows the query reads, as its JSON parameter. */
export const handoffWindows = (config: SiteConfigT) => JSON.stringify(config.handoffs.map((h) => ({ id: h.id, window_ms: h.conversion_days * DAY_MS })));

interface Row {
  handoff: string;
  grp: 'sent' | 'control' | 'holdout' | 'no_consent' | 'capped';
  members: number;
  conversions: number;
  revenue: number;
}

const money = (value: number) => Math.round(value * 100) / 100;

export function handoffReports(rows: readonly Row[], config: SiteConfigT): HandoffReportT[] {
  return config.handoffs
    .map((h) => {
      const of = (grp: Row['grp']) => rows.find((r) => r.handoff === h.id && r.grp === grp);
      const group = (grp: 'sent' | 'holdout') => {
        const r = of(grp);
        const members = r?.members ?? 0;
        const conversions = r?.conversions ?? 0;
        return { members, conversions, revenue: money(r?.revenue ?? 0), conversion_rate: members > 0 ? conversions / members : null };
      };
      const sent = group('sent');
      const holdout = group('holdout');
      return {
        handoff: h.id,
        name: h.name,
        kind: h.trigger.kind,
        sent,
        holdout,
        control: of('control')?.members ?? 0,
        no_consent: of('no_consent')?.members ?? 0,
        capped: of('capped')?.members ?? 0,
        lift: compareGroups({ visitors: sent.members, conversions: sent.conversions }, { visitors: holdout.members, conversions: holdout.conversions }),
      };
    })
    .filter((r) => r.sent.members + r.holdout.members + r.control + r.no_consent + r.capped > 0);
}
