/** When members enter each kind of hand-off audience, read from what ingest already keeps
 * (profiles, product views with learned cycles, the shop's coupons): one query per kind for the
 * moments in a window of time (since, until]. Only members ('u:' profiles) are handed off. Each
 * reads the index of its moment (INDEXED BY: left to itself SQLite walked every member's profile
 * by the primary key's 'u:' range, each minute), so a sweep reads the moments due, not the shop. */
import type { HandoffTriggerT, SiteConfigT } from '../contract';
import { MIN_PAIRS } from '../decide/repurchase';
import { DAY_MS, MINUTE_MS } from '../lib/time';

export interface Moment {
  visitor_id: string;
  at: number;
  marketing_consent: number;
  /** JSON of what the message can speak of. */
  data: string;
}

const MEMBER = `p.visitor_id >= 'u:' AND p.visitor_id < 'u;'`;

function query(trigger: HandoffTriggerT, stages: SiteConfigT['stages']): { sql: string; params: number[] } {
  switch (trigger.kind) {
    case 'cart_abandoned': {
      const after = trigger.after_minutes * MINUTE_MS;
      return {
        sql: `SELECT p.visitor_id, p.cart_updated_at + ?4 AS at, p.marketing_consent,
                json_object('cart', json(p.cart), 'cart_value', p.cart_value, 'cart_updated_at', p.cart_updated_at) AS data
              FROM profiles p INDEXED BY profiles_cart_moments
              WHERE p.site = ?1 AND p.cart_value > 0 AND p.cart_updated_at > ?2 - ?4 AND p.cart_updated_at <= ?3 - ?4 AND ${MEMBER}
                AND (p.last_purchase_at IS NULL OR p.last_purchase_at < p.cart_updated_at)`,
        params: [after],
      };
    }
    case 'at_risk': {
      // One order: at risk after at_risk_days; more: after repurchase_window_days (edge/decide/stage.ts).
      const one = stages.at_risk_days * DAY_MS;
      const more = stages.repurchase_window_days * DAY_MS;
      return {
        sql: `SELECT p.visitor_id, p.last_purchase_at + (CASE WHEN p.orders >= 2 THEN ?5 ELSE ?4 END) AS at, p.marketing_consent,
                json_object('orders', p.orders, 'last_order_at', p.last_purchase_at, 'total_order_value', p.revenue) AS data
              FROM profiles p INDEXED BY profiles_order_moments
              WHERE p.site = ?1 AND p.orders > 0 AND p.last_purchase_at > ?2 - max(?4, ?5) AND p.last_purchase_at <= ?3 - min(?4, ?5) AND ${MEMBER}
                AND p.last_purchase_at + (CASE WHEN p.orders >= 2 THEN ?5 ELSE ?4 END) > ?2
                AND p.last_purchase_at + (CASE WHEN p.orders >= 2 THEN ?5 ELSE ?4 END) <= ?3`,
        params: [one, more],
      };
    }
    case 'dormant_soon': {
      const lead = (stages.dormant_days - trigger.days_before) * DAY_MS;
      return {
        sql: `SELECT p.visitor_id, p.last_seen + ?4 AS at, p.marketing_consent,
                json_object('last_seen_at', p.last_seen, 'dormant_at', p.last_seen + ?5) AS data
              FROM profiles p INDEXED BY profiles_seen_moments
              WHERE p.site = ?1 AND ${MEMBER} AND p.last_seen > ?2 - ?4 AND p.last_seen <= ?3 - ?4`,
        params: [Math.max(0, lead), stages.dormant_days * DAY_MS],
      };
    }
    case 'benefit_expiring': {
      const before = trigger.days_before * DAY_MS;
      return {
        sql: `SELECT c.visitor_id, c.expires_at - ?4 AS at, p.marketing_consent,
                json_object('coupon', json_object('code', c.code, 'benefit', c.benefit, 'expires_at', c.expires_at)) AS data
              FROM member_coupons c JOIN profiles p ON p.site = c.site AND p.visitor_id = c.visitor_id
              WHERE c.site = ?1 AND c.redeemed_at IS NULL AND c.expires_at > ?2 + ?4 AND c.expires_at <= ?3 + ?4`,
        params: [before],
      };
    }
    case 'repurchase_due': {
      // Last purchase of a product + its cycle (learned from MIN_PAIRS repeat purchases, else the
      // catalogue's replenish_days), minus the days before; as edge/decide/repurchase.ts reads it.
      // Driven by the products that have a cycle (the shop's learned cycles and the catalogue's
      // replenishing products), each reading its buyers whose purchase falls in the window from
      // product_views_bought_at: what the sweep reads grows with the products and the moments
      // due, not with every purchase of every member each minute.
      const before = trigger.days_before * DAY_MS;
      return {
        sql: `WITH cycled (item_id) AS (
                SELECT item_id FROM item_cycles WHERE site = ?1 AND pairs >= ${MIN_PAIRS}
                UNION SELECT item_id FROM catalog INDEXED BY catalog_replenishing WHERE site = ?1 AND replenish_days IS NOT NULL),
              cyc AS MATERIALIZED (
                SELECT k.item_id, coalesce(CASE WHEN y.pairs >= ${MIN_PAIRS} THEN y.median_ms END, c.replenish_days * ${DAY_MS}) AS cycle,
                       c.name, c.price
                FROM cycled k LEFT JOIN item_cycles y ON y.site = ?1 AND y.item_id = k.item_id
                LEFT JOIN catalog c ON c.site = ?1 AND c.item_id = k.item_id)
              SELECT v.visitor_id, v.purchased_at + cyc.cycle - ?4 AS at, p.marketing_consent,
                json_object('item_id', v.item_id, 'item_name', coalesce(cyc.name, v.item ->> '$.item_name'), 'price', cyc.price,
                            'last_purchased_at', v.purchased_at, 'due_at', v.purchased_at + cyc.cycle) AS data
              FROM cyc CROSS JOIN product_views v INDEXED BY product_views_bought_at
                ON v.site = ?1 AND v.item_id = cyc.item_id AND v.purchased_at > ?2 + ?4 - cyc.cycle AND v.purchased_at <= ?3 + ?4 - cyc.cycle
              JOIN profiles p ON p.site = v.site AND p.visitor_id = v.visitor_id
              WHERE cyc.cycle IS NOT NULL AND v.visitor_id >= 'u:' AND v.visitor_id < 'u;'`,
        params: [before],
      };
    }
  }
}

/** Members whose moment for this trigger falls in (since, until], earliest first, at most `limit`. */
export async function momentsIn(db: D1Database, site: string, trigger: HandoffTriggerT, stages: SiteConfigT['stages'], since: number, until: number, limit: number): Promise<Moment[]> {
  const { sql, params } = query(trigger, stages);
  const { results } = await db
    .prepare(`${sql} ORDER BY at, 1 LIMIT ${limit}`)
    .bind(site, since, until, ...params)
    .all<Moment>();
  return results;
}
