import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { AcceptedEvent } from '../../edge/contract';
import type { PipelineBatch } from '../../edge/pipeline/batch';
import { POST_INGEST_STEPS } from '../../edge/pipeline/steps';
import { createSite } from './helpers';

// Every post-ingest statement must cost what its batch holds, not what the site has stored: each
// table it reads is reached through the batch's keys. A plan that walks a site's whole table (a
// SCAN, or a SEARCH on `site` alone) makes ingest slower as the shop grows; workerd's SQLite chose
// one for the co-viewed pairs (the age index of rec_session_items as the outer loop) until the
// statement pinned its join order. The plans are read from the D1 the worker runs on.

const NOW = 1_764_500_000_000;
let n = 0;
function event(name: string, props: Record<string, unknown> = {}, who: { anon: string; user?: string } = { anon: 'anon-plan-1' }): AcceptedEvent {
  n++;
  return {
    id: `plan-${n}-${crypto.randomUUID()}`,
    name,
    ts: NOW + n,
    client_ts: NOW + n,
    anon_id: who.anon,
    user_id: who.user ?? null,
    session_id: `sess-${who.anon}`,
    seq: n,
    url: `https://shop.example/p/${n}`,
    props: JSON.stringify(props),
  };
}

const item = (id: string) => ({ item_id: id, item_name: `Item ${id}`, item_category: 'tops', price: 19000, quantity: 1 });
const member = { anon: 'anon-plan-2', user: 'member-plan-2' };

/** A batch with every event name some step reads, from a browser and from a member. */
function everyKindOfEvent(): AcceptedEvent[] {
  return [
    event('page_view', { title: 'Home', utm_source: 'naver' }),
    event('view_item_list', { item_list_id: 'new', items: [item('sku-1'), item('sku-2')] }),
    event('view_item', { currency: 'KRW', value: 19000, items: [item('sku-1')] }),
    event('view_item', { currency: 'KRW', value: 19000, items: [item('sku-2')] }),
    event('add_to_cart', { currency: 'KRW', value: 19000, items: [item('sku-1')] }),
    event('remove_from_cart', { items: [item('sku-1')] }),
    event('consent_update', { analytics: true, marketing: true }),
    event('widget_impression', { decision_id: 'd-1', widget: 'signup_benefit', campaign: 'signup_benefit', variant: 'a' }),
    event('widget_click', { decision_id: 'd-1', widget: 'signup_benefit', campaign: 'signup_benefit', variant: 'a' }),
    event('widget_dismiss', { decision_id: 'd-2', widget: 'cart_reminder', campaign: 'cart_reminder', variant: 'a' }),
    event('widget_submit', { decision_id: 'd-3', widget: 'survey', campaign: 'survey', variant: 'a' }),
    event('lead_submit', { decision_id: 'd-4', email: 'a@example.com' }),
    event('survey_answer', { survey: 'onboarding', question: 'interest', answers: ['garden'] }),
    event('sign_up', { method: 'email' }, member),
    event('login', { method: 'email' }, member),
    event('view_item', { currency: 'KRW', value: 19000, items: [item('sku-3')] }, member),
    event('add_to_cart', { currency: 'KRW', value: 38000, items: [item('sku-3'), item('sku-1')] }, member),
    event('purchase', { transaction_id: 'T-plan-1', currency: 'KRW', value: 38000, items: [item('sku-3'), item('sku-1')] }, member),
    event('refund', { transaction_id: 'T-plan-1', currency: 'KRW', value: 19000, items: [item('sku-1')] }, member),
    event('review_submit', { item_id: 'sku-3', rating: 5 }, member),
    event('order_delivered', { transaction_id: 'T-plan-1' }, member),
    event('points_updated', { balance: 1200, expiring: [{ amount: 200, expires_at: NOW + 86_400_000 }] }, member),
    event('tier_updated', { tier: 'silver', next_tier: 'gold', amount_to_next: 50000 }, member),
    event('coupon_issued', { code: 'WELCOME', benefit: '10%', expires_at: NOW + 86_400_000 }, member),
    event('coupon_redeemed', { code: 'WELCOME' }, member),
  ];
}

/** What the steps send to D1: each statement's SQL and bound values, captured at the binding. */
function recordingDb(): { db: D1Database; statements: { sql: string; values: unknown[] }[] } {
  const statements: { sql: string; values: unknown[] }[] = [];
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'prepare') {
        return (sql: string) => {
          const entry = { sql, values: [] as unknown[] };
          statements.push(entry);
          const prepared = target.prepare(sql);
          return new Proxy(prepared, {
            get(p, key) {
              if (key === 'bind') return (...values: unknown[]) => ((entry.values = values), p.bind(...values));
              const value: unknown = Reflect.get(p, key);
              return typeof value === 'function' ? value.bind(p) : value;
            },
          });
        };
      }
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db, statements };
}

/** Tables with one row per site: a search on `site` alone reads that row. */
const ONE_ROW_PER_SITE = new Set(['site_clocks']);

/** A plan line that reads a stored table beyond the batch's keys: a full scan of a table, or a
 * search on `site` alone (every row of the shop) of a table or an alias of one (automatic indexes
 * on the batch's own CTEs say AUTOMATIC and are not matched). */
function wholeTableReads(plan: string[], tables: Set<string>): string[] {
  return plan.filter((line) => {
    const scan = /^SCAN (\w+)(?: USING (?:COVERING )?INDEX \w+)?$/.exec(line);
    if (scan && tables.has(scan[1]!)) return true;
    const siteOnly = /^SEARCH (\w+) USING (?:COVERING )?(?:INDEX \w+|PRIMARY KEY) \(site=\?\)$/.exec(line);
    return siteOnly !== null && !ONE_ROW_PER_SITE.has(siteOnly[1]!);
  });
}

describe('post-ingest statements', () => {
  it('reach every stored table through the batch, never by walking a whole table or a whole site', async () => {
    const site = await createSite();
    const events = everyKindOfEvent();
    const batch: PipelineBatch = {
      id: 'plan-batch',
      site: site.id,
      events,
      eventsJson: JSON.stringify(events),
      claimed: 'EXISTS (SELECT 1 FROM ingest_batches WHERE id = ? AND claim = ?)',
      claimParams: ['plan-batch', 'plan-claim'],
      now: NOW,
    };
    const tables = new Set(
      (await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'").all<{ name: string }>()).results.map((r) => r.name),
    );
    const findings: string[] = [];
    let planned = 0;
    for (const step of POST_INGEST_STEPS) {
      const { db, statements } = recordingDb();
      await step.statements(db, batch);
      for (const { sql, values } of statements) {
        const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...values).all<{ detail: string }>();
        planned++;
        for (const line of wholeTableReads(results.map((r) => r.detail), tables)) findings.push(`${step.name}: ${line}\n${sql.trim().slice(0, 400)}`);
      }
    }
    // The batch above reaches every step's statements (a step sends none for names it lacks).
    expect(planned).toBeGreaterThan(30);
    expect(findings, findings.join('\n\n')).toEqual([]);
  });
});
