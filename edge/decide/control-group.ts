import { REQUEST_VISITOR_IDS } from '../identity/visitor';
import type { SiteSettingsT } from '../contract';
import { localClock } from '../lib/site-time';
import { unitHash } from './hash';

/** The store-wide control group: `control_group_percent` of shoppers never see a prompt and get
 * no hand-off, so the report can compare what Touchpoint as a whole earns (report `control_group`).
 *
 * Assignment is made once, at the shopper's first decision, by a hash of the site and the visitor
 * id decisions are recorded under, and kept in `control_group`. A member with no row of their own
 * takes the row of the device they logged in on (its group, cohort day and purchases so far), so a
 * shopper stays in their group on every device once logged in: a later device's anonymous row
 * does not change the member's. Setting the percent to 0 lets everyone see prompts at once; other
 * changes apply to shoppers assigned from then on. */

export interface ControlRow {
  visitor_id: string;
  in_control: number;
  cohort_day: number;
  assigned_at: number;
  orders: number;
  revenue: number;
}

/** ?1 site, ?2 anon id, ?3 'u:<user>' from the request (or NULL): the visitor ids of one shopper. */
export const READ_CONTROL = `SELECT visitor_id, in_control, cohort_day, assigned_at, orders, revenue FROM control_group
WHERE site = ?1 AND visitor_id IN ${REQUEST_VISITOR_IDS}`;

export interface ControlAssignment {
  inControl: boolean;
  /** The row to write for `visitorId`, when it has none yet; `newShopper` when it is a first assignment. */
  write: (ControlRow & { newShopper: boolean }) | null;
}

/** Is a new shopper in the control group? By hash, so the same visitor id lands the same way everywhere. */
export const hashedIntoControl = (site: string, visitorId: string, percent: number) => unitHash(`${site}|${visitorId}|control_group`) * 100 < percent;

/** The shopper's group from their rows (the member's first, else the device's), or a new assignment. */
export function controlAssignment(rows: readonly ControlRow[], visitorId: string, site: SiteSettingsT, now: number): ControlAssignment {
  const own = rows.find((r) => r.visitor_id === visitorId);
  const member = rows.find((r) => r.visitor_id.startsWith('u:'));
  const found = own ?? member ?? rows[0];
  const on = site.control_group_percent > 0;
  if (found) {
    const write = own ? null : { ...found, visitor_id: visitorId, newShopper: false };
    return { inControl: on && found.in_control === 1, write };
  }
  const inControl = hashedIntoControl(site.id, visitorId, site.control_group_percent);
  return {
    inControl,
    write: { visitor_id: visitorId, in_control: inControl ? 1 : 0, cohort_day: localClock(now, site.timezone).day, assigned_at: now, orders: 0, revenue: 0, newShopper: true },
  };
}

/** The shopper counts in their cohort day's shoppers only when their row is new (in the same batch, so once). */
const COUNT_SHOPPER = `
INSERT INTO control_daily (site, day, in_control, shoppers)
SELECT ?1, ?3, ?4, 1 WHERE NOT EXISTS (SELECT 1 FROM control_group WHERE site = ?1 AND visitor_id = ?2)
ON CONFLICT (site, day, in_control) DO UPDATE SET shoppers = control_daily.shoppers + 1`;
const INSERT_ROW = `
INSERT INTO control_group (site, visitor_id, in_control, cohort_day, assigned_at, orders, revenue) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (site, visitor_id) DO NOTHING`;

export function controlWriteStatements(db: D1Database, site: string, write: NonNullable<ControlAssignment['write']>): D1PreparedStatement[] {
  return [
    ...(write.newShopper ? [db.prepare(COUNT_SHOPPER).bind(site, write.visitor_id, write.cohort_day, write.in_control)] : []),
    db.prepare(INSERT_ROW).bind(site, write.visitor_id, write.in_control, write.cohort_day, write.assigned_at, write.orders, write.revenue),
  ];
}

export interface ShopperRef {
  anon_id?: string | null;
  user_id?: string | null;
}

/** Is this shopper in the site's control group? For hand-offs (edge/handoff): a control shopper
 * gets none. Reads the assignment decisions made; a shopper never decided for is placed by the
 * same hash their first decision will use (nothing is written). */
export async function inControlGroup(db: D1Database, site: SiteSettingsT, who: ShopperRef): Promise<boolean> {
  if (site.control_group_percent <= 0) return false;
  const anon = who.anon_id ?? '';
  const member = who.user_id ? `u:${who.user_id}` : null;
  const { results } = await db.prepare(READ_CONTROL).bind(site.id, anon, member).all<ControlRow>();
  const link = member ? null : await db.prepare('SELECT user_id FROM identity_links WHERE site = ?1 AND anon_id = ?2 LIMIT 1').bind(site.id, anon).first<{ user_id: string }>();
  const visitorId = member ?? (link ? `u:${link.user_id}` : `a:${anon}`);
  return controlAssignment(results, visitorId, site, Date.now()).inControl;
}
