import { DAY_MS } from '../lib/time';

/** Repurchase cycles. A product's cycle is learned from repeat purchases of it across the shop:
 * the median gap between one shopper's consecutive purchases of it (edge/profiles/repurchase.ts
 * keeps the pairs and the median), trusted from MIN_PAIRS pairs on; before that the catalogue's
 * `replenish_days` when the shop gave one; else the product has no cycle. A shopper is due for a
 * product when their last purchase of it plus its cycle lies in the campaign's window. */

export const MIN_PAIRS = 5;

export interface PurchasedProduct {
  item_id: string;
  item_name: string | null;
  purchased_at: number;
  pairs: number | null;
  median_ms: number | null;
  replenish_days: number | null;
  /** Catalogue details (else the item as last bought), for the replenishment card. */
  price?: number | null;
  currency?: string | null;
  image_url?: string | null;
  url?: string | null;
}

export interface RepurchaseFact {
  item_id: string;
  item_name: string | null;
  last_purchased_at: number;
  cycle_days: number;
  cycle_source: 'learned' | 'catalog';
  /** When the next purchase is due: last purchase + cycle. */
  due_at: number;
}

export function repurchaseFacts(products: readonly PurchasedProduct[]): RepurchaseFact[] {
  const out: RepurchaseFact[] = [];
  for (const p of products) {
    const learned = p.pairs !== null && p.pairs >= MIN_PAIRS && p.median_ms !== null ? p.median_ms / DAY_MS : null;
    const cycle = learned ?? (p.replenish_days !== null && p.replenish_days > 0 ? p.replenish_days : null);
    if (cycle === null) continue;
    out.push({
      item_id: p.item_id,
      item_name: p.item_name,
      last_purchased_at: p.purchased_at,
      cycle_days: Math.round(cycle * 10) / 10,
      cycle_source: learned !== null ? 'learned' : 'catalog',
      due_at: Math.round(p.purchased_at + cycle * DAY_MS),
    });
  }
  return out.sort((a, b) => a.due_at - b.due_at);
}

/** Products due at `now` within [due_at − days_before, due_at + days_after], both ends included. */
export function dueProducts(facts: readonly RepurchaseFact[], now: number, window: { days_before: number; days_after: number }): RepurchaseFact[] {
  return facts.filter((f) => now >= f.due_at - window.days_before * DAY_MS && now <= f.due_at + window.days_after * DAY_MS);
}
