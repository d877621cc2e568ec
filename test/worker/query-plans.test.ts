import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import type { AcceptedEvent } from '../../edge/contract';
import worker from '../../edge/index';
import type { PipelineBatch } from '../../edge/pipeline/batch';
import { POST_INGEST_STEPS } from '../../edge/pipeline/steps';
import { BASE, batchOf, createSite } from './helpers';
import { sendDueDeliveries } from '../../edge/handoff/send';
import { sweepHandoffs } from '../../edge/handoff/sweep';
import { addToCart, admin, collect, purchase, shopper, uploadCatalog, viewItem } from './shop-helpers';
import { siteWith } from './shopper';

const HOUR_MS = 3_600_000;

// The statements on the hot paths must cost what the request or batch holds, not what the site has
// stored: each table they read is reached through the keys they have. A plan that walks a site's
// whole table (a SCAN, or a SEARCH on `site` alone) gets slower as the shop grows; workerd's SQLite
// chose one for the co-viewed pairs (the age index of rec_session_items as the outer loop) and for
// UPDATE ... FROM on orders, decisions and profiles until the statements pinned their join order.
// The plans are read from the D1 the worker runs on.

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

type Recorded = { sql: string; values: unknown[] };

/** A D1 binding that records each statement's SQL and bound values and still runs them (bind is
 * wrapped on the real statement, so batch() gets D1's own objects). */
function recordingDb(): { db: D1Database; statements: Recorded[] } {
  const statements: Recorded[] = [];
  const prepare = (sql: string) => {
    const entry: Recorded = { sql, values: [] };
    statements.push(entry);
    const prepared = env.DB.prepare(sql);
    const bind = prepared.bind.bind(prepared);
    prepared.bind = (...values: unknown[]) => ((entry.values = values), bind(...values));
    return prepared;
  };
  const db: D1Database = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'prepare') return prepare;
      if (prop === 'withSession') return () => db;
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db, statements };
}

/** The stored tables, and the partial indexes (a search on `site` alone in one reads only the rows
 * its WHERE keeps: pending webhooks, say). */
interface Schema {
  tables: Set<string>;
  partialIndexes: Set<string>;
}

async function storedSchema(): Promise<Schema> {
  const { results } = await env.DB.prepare("SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'").all<{ type: string; name: string; sql: string | null }>();
  return {
    tables: new Set(results.filter((r) => r.type === 'table').map((r) => r.name)),
    partialIndexes: new Set(results.filter((r) => r.type === 'index' && / WHERE /i.test(r.sql ?? '')).map((r) => r.name)),
  };
}

/** Each recorded statement's whole-table reads, with where it came from. */
async function findingsOf(statements: readonly Recorded[], where: string, schema: Schema): Promise<string[]> {
  const findings: string[] = [];
  for (const { sql, values } of statements) {
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...values).all<PlanRow>();
    const rescans = PER_REFERRAL_ROW.test(sql) ? [] : rescansPerRow(results, schema);
    for (const line of [...wholeTableReads(results.map((r) => r.detail), schema), ...rescans]) findings.push(`${where}: ${line}\n${sql.trim().slice(0, 400)}`);
  }
  return findings;
}

interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

/** Updates of referrals read the batch's member pairs, sign-ups or purchases once per referral row
 * they change: those of the referred browsers among the batch's, a few where a batch has
 * thousands of events. */
const PER_REFERRAL_ROW = /^\s*WITH [\s\S]*?\)\s*UPDATE referrals\b/;

/** Scans of the statement's own CTEs or subqueries (the batch's rows, not a stored table) nested in
 * a correlated subquery: read whole again for each outer row, quadratic in the batch. Profiles
 * looked each browser's latest session up this way, which took 163 ms for a round of 2,000 browsers
 * (a join through an automatic index: 20 ms). */
function rescansPerRow(plan: readonly PlanRow[], { tables }: Schema): string[] {
  const byId = new Map(plan.map((row) => [row.id, row]));
  // The subquery a scan runs in: computed once unless it is correlated.
  const underCorrelated = (row: PlanRow): boolean => {
    for (let up = byId.get(row.parent); up; up = byId.get(up.parent)) if (/SUBQUERY/.test(up.detail)) return up.detail.startsWith('CORRELATED ');
    return false;
  };
  return plan
    .filter((row) => {
      const scan = /^SCAN (\w+)$/.exec(row.detail);
      return scan !== null && !tables.has(scan[1]!) && underCorrelated(row);
    })
    .map((row) => `${row.detail} for each outer row (inside ${byId.get(row.parent)?.detail ?? 'a subquery'})`);
}

/** Tables with one row per site: a search on `site` alone reads that row. */
const ONE_ROW_PER_SITE = new Set(['site_clocks', 'event_id_sweeps', 'archive_leases']);
/** Site-wide reads that are meant as such: the newest products that fill the end of a shelf (an
 * index walked in its order up to the LIMIT, skipping only the shopper's own items), the site's
 * test browsers (at most 10,000 ids, cached in the isolate: edge/ingest/traffic-filter.ts), the
 * archive's bookkeeping (a row per archived day or part, read in key order up to a LIMIT; erasures
 * waiting to be applied), and the products with a learned repurchase cycle that the repurchase_due
 * sweep starts from (a row per product bought twice by one shopper: bounded by the catalogue). */
const SITE_WIDE_READS = new Set([
  'SEARCH item_cycles USING PRIMARY KEY (site=?)',
  'SEARCH catalog USING INDEX catalog_by_updated (site=?)',
  'SEARCH test_browsers USING PRIMARY KEY (site=?)',
  'SEARCH archive_parts USING PRIMARY KEY (site=?)',
  'SEARCH archive_days USING PRIMARY KEY (site=?)',
  'SEARCH archive_erasures USING INDEX archive_erasures_by_site (site=?)',
]);

/** A plan line that reads a stored table beyond the batch's keys: a full scan of a table, a search
 * on `site` alone (every row of the shop) or on the range of member ids (every member's rows: the
 * repurchase sweep walked it until it started from the products with a cycle) of a table or an
 * alias of one (automatic indexes
 * on the batch's own CTEs say AUTOMATIC and are not matched). */
function wholeTableReads(plan: string[], { tables, partialIndexes }: Schema): string[] {
  return plan.filter((line) => {
    const scan = /^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?$/.exec(line);
    if (scan && tables.has(scan[1]!)) return !(scan[2] && partialIndexes.has(scan[2]));
    // Every member of the shop (the 'u:' range of visitor ids): as many rows as the site has members.
    if (/^SEARCH \w+ USING (?:COVERING )?(?:INDEX \w+|PRIMARY KEY) \(site=\? AND visitor_id>\? AND visitor_id<\?\)$/.test(line)) return true;
    const siteOnly = /^SEARCH (\w+) USING (?:COVERING )?(?:INDEX (\w+)|PRIMARY KEY) \(site=\?\)$/.exec(line);
    if (siteOnly === null || ONE_ROW_PER_SITE.has(siteOnly[1]!) || SITE_WIDE_READS.has(line)) return false;
    return !(siteOnly[2] && partialIndexes.has(siteOnly[2]));
  });
}

describe('query plans', () => {
  it('post-ingest statements reach every stored table through the batch, never by walking a whole table or a whole site', async () => {
    const site = await createSite();
    const events = everyKindOfEvent();
    const batch: PipelineBatch = {
      id: 'plan-batch',
      site: site.id,
      events,
      claimed: 'EXISTS (SELECT 1 FROM ingest_batches WHERE id = ? AND claim = ?)',
      claimParams: ['plan-batch', 'plan-claim'],
      now: NOW,
    };
    const schema = await storedSchema();
    const findings: string[] = [];
    let planned = 0;
    for (const step of POST_INGEST_STEPS) {
      const { db, statements } = recordingDb();
      await step.statements(db, batch);
      planned += statements.length;
      findings.push(...(await findingsOf(statements, step.name, schema)));
    }
    // The batch above reaches every step's statements (a step sends none for names it lacks).
    expect(planned).toBeGreaterThan(30);
    expect(findings, findings.join('\n\n')).toEqual([]);
  });

  it('collect, stored through the writer and applied by the pipeline, reads by key', async () => {
    const site = await createSite();
    await uploadCatalog(site, [{ item_id: 'shirt', name: 'shirt', price: 10000, currency: 'KRW', category: 'tops' }]);
    const who = shopper({ user_id: 'member-plans-2' });
    const { db, statements } = recordingDb();
    const ctx = createExecutionContext();
    const events = [viewItem(who, { item_id: 'shirt' }), addToCart(who, { item_id: 'shirt', item_name: 'shirt', price: 10000 }), purchase(who, 'T-plans-2', [{ item_id: 'shirt' }])];
    const response = await worker.fetch(new Request(`${BASE}/v1/collect`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(batchOf(site.id, events)) }) as never, { ...env, DB: db }, ctx);
    expect(response.status, await response.clone().text()).toBe(202);
    await waitOnExecutionContext(ctx);
    expect(statements.length).toBeGreaterThan(10);
    const findings = await findingsOf(statements, 'collect', await storedSchema());
    expect(findings, findings.join('\n\n')).toEqual([]);
  });

  it("the cron's passes (archive, pruning, webhooks, hand-offs) read bounded key ranges", async () => {
    const site = await createSite();
    const who = shopper({ user_id: 'member-plans-3' });
    await collect(site.id, [viewItem(who, { item_id: 'shirt' }), addToCart(who, { item_id: 'tee', item_name: 'tee', price: 1 }), purchase(who, 'T-plans-3', [{ item_id: 'cap' }])]);
    const { db, statements } = recordingDb();
    // A minute now, and one two days on (yesterday's events get archived and pruned).
    for (const time of [Date.now(), Date.now() + 2 * 86_400_000]) {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: time, cron: '* * * * *' }), { ...env, DB: db }, ctx);
      await waitOnExecutionContext(ctx);
    }
    expect(statements.some((s) => s.sql.includes('event_id_sweeps'))).toBe(true);
    const findings = await findingsOf(statements, 'cron', await storedSchema());
    expect(findings, findings.join('\n\n')).toEqual([]);
  });

  it('the hand-off sweep of every kind, and sending what is due, read by time or by member', async () => {
    const handoffs = [
      { id: 'cart', trigger: { kind: 'cart_abandoned', after_minutes: 60 }, holdout_percent: 0, advertising: false },
      { id: 'repurchase', trigger: { kind: 'repurchase_due', days_before: 3 }, holdout_percent: 0, advertising: false },
      { id: 'risk', trigger: { kind: 'at_risk' }, holdout_percent: 0, advertising: false },
      { id: 'dormant', trigger: { kind: 'dormant_soon', days_before: 7 }, holdout_percent: 0, advertising: false },
      { id: 'benefit', trigger: { kind: 'benefit_expiring', days_before: 3 }, holdout_percent: 0, advertising: false, audience: { orders: { min: 1 } } },
    ];
    const site = await siteWith({ campaigns: [], handoffs });
    await admin(site.token, `/v1/admin/sites/${site.id}/webhooks`, { method: 'PUT', body: JSON.stringify({ reviews_url: null, handoff_url: `${inject('receiverUrl')}/ok/plans` }) });
    const who = shopper({ user_id: 'member-plans-4' });
    await collect(site.id, [addToCart(who, { item_id: 'tee', item_name: 'tee', price: 1 }), purchase(who, 'T-plans-4', [{ item_id: 'cap' }])]);
    const { db, statements } = recordingDb();
    for (const now of [Date.now(), Date.now() + 2 * HOUR_MS]) {
      await sweepHandoffs({ ...env, DB: db }, site.id, now);
      await sendDueDeliveries({ ...env, DB: db }, site.id, now);
    }
    expect(statements.some((s) => s.sql.includes('handoff'))).toBe(true);
    const findings = await findingsOf(statements, 'hand-offs', await storedSchema());
    expect(findings, findings.join('\n\n')).toEqual([]);
  });

  it('GET /v1/recommendations reads by key for every strategy', async () => {
    const site = await createSite();
    await uploadCatalog(site, ['shirt', 'tee', 'jeans', 'cap'].map((id, i) => ({ item_id: id, name: id, price: 10000 + i, currency: 'KRW', category: i < 2 ? 'tops' : 'other' })));
    const who = shopper({ user_id: 'member-plans-5' });
    await collect(site.id, [viewItem(who, { item_id: 'shirt' }), viewItem(who, { item_id: 'jeans' }), purchase(who, 'T-plans-5', [{ item_id: 'cap' }, { item_id: 'tee' }])]);
    const { db, statements } = recordingDb();
    for (const strategy of ['viewed_together', 'bought_together', 'trending', 'recently_viewed', 'personal']) {
      const query = new URLSearchParams({ site: site.id, strategy, product_id: 'shirt', anon_id: who.anon_id, user_id: who.user_id!, limit: '4' });
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request(`${BASE}/v1/recommendations?${query}`) as never, { ...env, DB: db }, ctx);
      expect(response.status, `${strategy}: ${await response.clone().text()}`).toBe(200);
      await waitOnExecutionContext(ctx);
    }
    const findings = await findingsOf(statements, 'recommendations', await storedSchema());
    expect(findings, findings.join('\n\n')).toEqual([]);
  });

  it("a decision with a recommendations shelf reads the shopper's rows and the shelf's by key", async () => {
    // A new site's ready journey, a catalogue, and a member with views, a cart and an order.
    const site = await createSite();
    const items = ['shirt', 'tee', 'jeans', 'cap'].map((id, i) => ({ item_id: id, name: id, price: 10000 + i, currency: 'KRW', category: i < 2 ? 'tops' : 'other' }));
    await uploadCatalog(site, items);
    const who = shopper({ user_id: 'member-plans-1' });
    await collect(site.id, [viewItem(who, { item_id: 'shirt' }), viewItem(who, { item_id: 'jeans' }), addToCart(who, { item_id: 'tee', item_name: 'tee', price: 10001 }), purchase(who, 'T-plans-1', [{ item_id: 'cap' }])]);
    await collect(site.id, [viewItem(shopper(), { item_id: 'shirt' }), viewItem(shopper(), { item_id: 'tee' })]);

    const { db, statements } = recordingDb();
    const ctx = createExecutionContext();
    const body = { site: site.id, anon_id: who.anon_id, user_id: who.user_id, session_id: who.session_id, page: { url: 'https://shop.example/p/shirt', type: 'product', item_id: 'shirt', slots: ['recommendations'] }, consent: { analytics: true, marketing: true } };
    const response = await worker.fetch(new Request(`${BASE}/v1/decide`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(body) }) as never, { ...env, DB: db }, ctx);
    expect(response.status, await response.clone().text()).toBe(200);
    await waitOnExecutionContext(ctx);
    expect(statements.length).toBeGreaterThan(3);
    const findings = await findingsOf(statements, 'decide', await storedSchema());
    expect(findings, findings.join('\n\n')).toEqual([]);
  });
});
