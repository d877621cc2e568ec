import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { gunzipText } from '../../edge/archive/gzip';
import { dayOf } from '../../edge/archive/layout';
import worker from '../../edge/index';
import { OPERATOR_TOKEN, send } from './helpers';
import { report, widgetOf } from './report-helpers';
import { admin, uploadCatalog } from './shop-helpers';
import { atShopHour, HOUR, DAY, quietConfig, sendAt, serverEvents, Shopper, siteWith } from './shopper';

/** A site on the shared DB and a site pinned to DB_SHOP_B (vitest.config.ts) live the same life
 * through the real worker; each one's rows must land in its own database only. */

type Db = 'DB' | 'DB_SHOP_B';
const other = (db: Db): Db => (db === 'DB' ? 'DB_SHOP_B' : 'DB');

async function count(db: Db, table: string, site: string): Promise<number> {
  return (await env[db].prepare(`SELECT count(*) AS n FROM ${table} WHERE site = ?`).bind(site).first<{ n: number }>())!.n;
}

/** Rows of `site` in its own database (at least one in each table) and none in the other. */
async function expectOnlyIn(db: Db, site: string, tables: readonly string[]) {
  for (const table of tables) {
    expect(await count(db, table, site), `${table} of ${site} in ${db}`).toBeGreaterThan(0);
    expect(await count(other(db), table, site), `${table} of ${site} in ${other(db)}`).toBe(0);
  }
}

/** Runs the worker's real cron handler as if it fired at `time`. */
async function cron(time: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: time, cron: '* * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const putSite = (id: string, body: Record<string, unknown>) =>
  send(`/v1/admin/sites/${id}`, { method: 'PUT', headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const getSite = (id: string) => send(`/v1/admin/sites/${id}`, { headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` } });
const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;
const adminGet = (site: { id: string; token: string }, path: string, now = Date.now()) => sendAt(now, `/v1/admin/sites/${site.id}/${path}`, { headers: { Authorization: `Bearer ${site.token}` } });

async function archivedLines(site: string): Promise<{ id: string; anon_id: string }[]> {
  const listed = await env.ARCHIVE.list({ prefix: `events/v1/site=${site}/` });
  const lines = [];
  for (const object of listed.objects) lines.push(...(await gunzipText((await env.ARCHIVE.get(object.key))!.body)).split('\n').filter(Boolean).map((l) => JSON.parse(l)));
  return lines;
}

const mug = { item_id: 'sku-mug', item_name: '머그컵', price: 12000 };
// Nothing listens on the discard port: the review delivery fails and waits for a retry.
const UNREACHABLE = 'http://127.0.0.1:9/hooks/reviews';

/** One shop's life: a buyer who browses, sees and is shown a prompt, logs in, buys, leaves a
 * review and a lead; a browser who only looks. Every step goes through the real routes, on the
 * shoppers' clock `at`. */
async function shopLife(db: Db, at: number) {
  const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: { type: 'immediate' } } }), db === 'DB' ? {} : { database: db });
  expect((await sendAt(Date.now(), `/v1/admin/sites/${site.id}/webhooks`, { method: 'PUT', headers: { Authorization: `Bearer ${site.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ reviews_url: UNREACHABLE }) })).status).toBe(200);
  await uploadCatalog(site, [{ ...mug, name: mug.item_name, category: 'kitchen' }]);
  const buyer = new Shopper(site.id, at);
  await buyer.viewItem(mug);
  const shown = await buyer.overlay();
  expect(shown?.widget).toBe('signup_benefit');
  await buyer.widgetEvent('widget_impression', shown!);
  await buyer.identify(`member-${db}`);
  await buyer.track('lead_submit', { email: `kim-${db.toLowerCase()}@example.com`, marketing_consent: true, decision_id: shown!.decision_id, widget: 'signup_benefit' });
  await buyer.track('purchase', { transaction_id: `T-${db}`, currency: 'KRW', value: 12000, items: [mug] });
  await buyer.track('review_submit', { item_id: mug.item_id, rating: 5, text: '좋아요' });
  // From the shop's server, beside the browser's events.
  const server = await serverEvents(site.id, at, [{ name: 'page_view', anon_id: buyer.anon, session_id: buyer.session, url: 'https://shop.example/cart' }]);
  expect(server.body).toMatchObject({ accepted: 1, rejected: [] });
  const browser = new Shopper(site.id, at);
  await browser.pageView();
  await browser.viewItem(mug);
  return { site, buyer, browser };
}

describe('a database per shop', () => {
  it('keeps every row of a pinned shop in its own D1, and a shared shop\'s in DB; each works end to end', async () => {
    // Noon in the shop's zone, 03:00 UTC: every event is on the UTC day the archive files it under
    // below, whatever the hour the test runs at.
    const at = atShopHour(12);
    const shops = { DB: await shopLife('DB', at), DB_SHOP_B: await shopLife('DB_SHOP_B', at) };
    for (const db of ['DB', 'DB_SHOP_B'] as const) {
      const { site, buyer, browser } = shops[db];
      // Collect, the pipeline, decide, identity, leads, reviews, webhooks: in the site's database only.
      await expectOnlyIn(db, site.id, ['events', 'event_ids', 'profiles', 'identity_links', 'decisions', 'orders', 'leads', 'reviews', 'webhook_deliveries', 'rec_item_days', 'report_daily', 'site_clocks', 'catalog']);

      // Reading back through the admin API and the public routes.
      const profile = await buyer.profile();
      expect(profile.visitor_id).toBe(`u:member-${db}`);
      expect(profile.facts.orders).toBe(1);
      const r = await report(site.id);
      expect(widgetOf(r, 'signup_benefit').shown).toMatchObject({ visitors: 1, impressions: 1 });
      const leads = await (await adminGet(site, 'leads.csv')).text();
      expect(leads).toContain(`kim-${db.toLowerCase()}@example.com`);
      const reviews = await (await adminGet(site, 'reviews.csv')).text();
      expect(reviews).toContain('좋아요');
      const deliveries = (await (await adminGet(site, 'deliveries')).json()) as { deliveries: { topic: string }[] };
      expect(deliveries.deliveries.map((d) => d.topic)).toEqual(['review']);
      const catalog = (await (await adminGet(site, 'catalog')).json()) as { items: { item_id: string }[] };
      expect(catalog.items.map((i) => i.item_id)).toEqual([mug.item_id]);
      expect((await adminGet(site, 'tagging')).status).toBe(200);
      const recs = await send(`/v1/recommendations?site=${site.id}&strategy=trending&anon_id=${browser.anon}&limit=4`);
      expect(recs.status).toBe(200);
      expect(((await recs.json()) as { items: { item_id: string }[] }).items.map((i) => i.item_id)).toContain(mug.item_id);
    }

    // The cron: the finished day goes to R2 and leaves each site's own database.
    const later = at + DAY + HOUR;
    await cron(later);
    await cron(later + 60_000);
    for (const db of ['DB', 'DB_SHOP_B'] as const) {
      const { site } = shops[db];
      const sent = await count(db, 'event_ids', site.id);
      expect(await archivedLines(site.id)).toHaveLength(sent);
      expect(await count(db, 'events', site.id)).toBe(0);
      await expectOnlyIn(db, site.id, ['archive_parts', 'archive_days']);
      const days = (await (await adminGet(site, 'archive', later)).json()) as { days: { day: string; events: number }[] };
      expect(days.days).toMatchObject([{ day: dayOf(at), events: sent }]);
      const download = await adminGet(site, `archive/${days.days[0]!.day}`, later);
      expect(download.status).toBe(200);
    }

    // Erasing the browser: their rows leave the pinned database, and the cron rewrites the archive.
    const { site, browser, buyer } = shops.DB_SHOP_B;
    const erased = await send(`/v1/admin/sites/${site.id}/visitors/a:${browser.anon}`, { method: 'DELETE', headers: { Authorization: `Bearer ${site.token}` } });
    expect(erased.status).toBe(200);
    expect(((await erased.json()) as { rows_deleted: number }).rows_deleted).toBeGreaterThan(0);
    expect(await env.DB_SHOP_B.prepare('SELECT count(*) AS n FROM profiles WHERE site = ? AND visitor_id = ?').bind(site.id, `a:${browser.anon}`).first('n')).toBe(0);
    await expectOnlyIn('DB_SHOP_B', site.id, ['archive_erasures']);
    await cron(later + 120_000);
    const left = await archivedLines(site.id);
    expect(left.filter((l) => l.anon_id === browser.anon)).toHaveLength(0);
    expect(left.filter((l) => l.anon_id === buyer.anon).length).toBeGreaterThan(0);
    expect(await count('DB_SHOP_B', 'archive_erasures', site.id)).toBe(0);
  });

  it('sweeps an unfinished batch of a pinned shop from its own database', async () => {
    const site = await siteWith(quietConfig(), { database: 'DB_SHOP_B' });
    const db = env.DB_SHOP_B;
    const receivedAt = Date.now() - 120_000;
    // As the writer leaves a batch whose pipeline run was lost: stored, registered, not applied.
    await db.batch([
      db
        .prepare(`INSERT INTO events (site, id, name, ts, client_ts, received_at, anon_id, session_id, url, props, batch_id) VALUES (?1, ?2, 'page_view', ?3, ?3, ?3, 'anon-lost', 'sess-lost', 'https://shop.example/', '{}', 'lost-batch')`)
        .bind(site.id, `evt-${crypto.randomUUID()}`, receivedAt),
      db.prepare('INSERT INTO ingest_batches (id, site, received_at) VALUES (?1, ?2, ?3)').bind('lost-batch', site.id, receivedAt),
    ]);
    await cron(Date.now());
    expect(await count('DB_SHOP_B', 'ingest_batches', site.id)).toBe(0);
    await expectOnlyIn('DB_SHOP_B', site.id, ['profiles']);
  });
});

describe('hand-offs of a pinned shop', () => {
  it('are swept and sent by the cron from the shop\'s own database, and exported from it', async () => {
    const site = await siteWith({ campaigns: [], handoffs: [{ id: 'cart-1h', name: 'Cart left', trigger: { kind: 'cart_abandoned', after_minutes: 60 }, holdout_percent: 0 }] }, { database: 'DB_SHOP_B' });
    const path = `/ok/${crypto.randomUUID()}`;
    const hooks = await admin(site.token, `/v1/admin/sites/${site.id}/webhooks`, { method: 'PUT', body: JSON.stringify({ reviews_url: null, handoff_url: `${inject('receiverUrl')}${path}` }) });
    expect(hooks.status).toBe(200);
    const start = atShopHour(10);
    await cron(start); // the hand-off starts looking from here
    const member = new Shopper(site.id, start);
    await member.identify('m-pinned-1');
    await member.track('consent_update', { analytics: true, marketing: true });
    await member.track('add_to_cart', { currency: 'KRW', value: 12000, items: [{ ...mug, quantity: 1 }] });
    await cron(start + 61 * 60_000);
    const got = (await (await fetch(`${inject('receiverUrl')}/received?path=${encodeURIComponent(path)}`)).json()) as { body: string }[];
    expect(got.map((r) => (JSON.parse(r.body) as { member: { user_id: string } }).member.user_id)).toEqual(['m-pinned-1']);
    await expectOnlyIn('DB_SHOP_B', site.id, ['handoff_members', 'handoff_cursors', 'webhook_deliveries']);
    const exported = await adminGet(site, 'handoffs/cart-1h.json', start + 62 * 60_000);
    expect(exported.status).toBe(200);
    expect(JSON.stringify(await exported.json())).toContain('m-pinned-1');
  });
});

describe('surveys of a pinned shop', () => {
  it('check answers against its own database and send a negative set to the webhook from it', async () => {
    const nps = { id: 'nps', kind: 'scale', text: { ko: '추천하시겠어요?', en: 'Would you recommend us?' }, negative_at_most: 6 };
    const pulse = { id: 'pulse', name: 'Pulse', template: 'survey', holdout_percent: 0, trigger: { type: 'immediate' }, settings: { questions: [nps] } };
    const site = await siteWith({ overlays: { min_gap_minutes: 0 }, campaigns: [pulse] }, { database: 'DB_SHOP_B' });
    const path = `/ok/${crypto.randomUUID()}`;
    expect((await admin(site.token, `/v1/admin/sites/${site.id}/webhooks`, { method: 'PUT', body: JSON.stringify({ reviews_url: null, handoff_url: `${inject('receiverUrl')}${path}` }) })).status).toBe(200);
    const detractor = new Shopper(site.id);
    detractor.user = 'm-detractor-b';
    await detractor.send(detractor.event('survey_answer', { survey: 'pulse', question: 'nps', answer: '3', decision_id: 'decision-b-1', widget: 'survey' }));
    // Out of range: refused by the check, which reads the shop's own database.
    const refused = await sendAt(Date.now(), '/v1/collect', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ site: site.id, sent_at: Date.now(), events: [detractor.event('survey_answer', { survey: 'pulse', question: 'nps', answer: '11' })] }) });
    expect(((await refused.json()) as { rejected: unknown[] }).rejected).toHaveLength(1);
    const got = (await (await fetch(`${inject('receiverUrl')}/received?path=${encodeURIComponent(path)}`)).json()) as { body: string }[];
    expect(got.map((r) => JSON.parse(r.body) as { type: string; shopper: { user_id: string } })).toMatchObject([{ type: 'survey_negative', shopper: { user_id: 'm-detractor-b' } }]);
    await expectOnlyIn('DB_SHOP_B', site.id, ['survey_responses', 'survey_answers', 'webhook_deliveries']);
  });
});

describe('health', () => {
  it('reports degraded while a shop\'s own database lacks a migration the shared one has', async () => {
    await siteWith(quietConfig(), { database: 'DB_SHOP_B' });
    expect(await (await send('/v1/health')).json()).toMatchObject({ status: 'ok', migrations: 'current' });
    // As in a rollout that migrated DB and not yet DB_SHOP_B.
    await env.DB.prepare(`INSERT INTO d1_migrations (name) VALUES ('9999_next.sql')`).run();
    try {
      const response = await send('/v1/health');
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'degraded', d1: 'ok', migrations: 'behind' });
    } finally {
      await env.DB.prepare(`DELETE FROM d1_migrations WHERE name = '9999_next.sql'`).run();
    }
    expect((await send('/v1/health')).status).toBe(200);
  });
});

describe('pinning a site to a database', () => {
  const id = () => `pin${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  it('refuses a binding the worker does not have, and registers nothing', async () => {
    const site = id();
    const response = await putSite(site, { database: 'DB_SHOP_NOPE' });
    expect(response.status).toBe(400);
    const error = await errorCode(response);
    expect(error.code).toBe('unknown_database');
    expect(error.message).toContain('DB_SHOP_NOPE');
    expect((await getSite(site)).status).toBe(404);
  });

  it('refuses a name that cannot be a binding', async () => {
    const site = id();
    const response = await putSite(site, { database: 'db-shop b' });
    expect(response.status).toBe(400);
    expect((await errorCode(response)).code).toBe('invalid_settings');
    expect((await getSite(site)).status).toBe(404);
  });

  it('refuses a database whose migrations were not applied', async () => {
    const site = id();
    const response = await putSite(site, { database: 'DB_UNMIGRATED' });
    expect(response.status).toBe(409);
    const error = await errorCode(response);
    expect(error.code).toBe('database_not_migrated');
    expect(error.message).toContain('wrangler d1 migrations apply');
    expect((await getSite(site)).status).toBe(404);
  });

  it('keeps the database on updates that leave it out, and refuses to change it once the site exists', async () => {
    const pinned = id();
    expect((await putSite(pinned, { name: 'B', database: 'DB_SHOP_B' })).status).toBe(201);
    expect((await putSite(pinned, { name: 'B renamed' })).status).toBe(200);
    expect(await (await getSite(pinned)).json()).toMatchObject({ name: 'B renamed', database: 'DB_SHOP_B' });
    for (const database of ['DB', 'DB_UNMIGRATED']) {
      const moved = await putSite(pinned, { name: 'moved', database });
      expect(moved.status).toBe(409);
      expect((await errorCode(moved)).code).toBe('database_fixed');
    }

    const shared = id();
    expect((await putSite(shared, { name: 'A' })).status).toBe(201);
    expect((await putSite(shared, { name: 'A', database: 'DB' })).status).toBe(200);
    const moved = await putSite(shared, { name: 'A moved', database: 'DB_SHOP_B' });
    expect(moved.status).toBe(409);
    expect((await errorCode(moved)).message).toContain('export and import');
    // Nothing changed: neither the settings nor where the site's clock is mirrored.
    const after = (await (await getSite(shared)).json()) as Record<string, unknown>;
    expect(after.name).toBe('A');
    expect(after.database).toBeUndefined();
    expect(await count('DB', 'site_clocks', shared)).toBe(1);
    expect(await count('DB_SHOP_B', 'site_clocks', shared)).toBe(0);
    expect(await (await getSite(pinned)).json()).toMatchObject({ name: 'B renamed', database: 'DB_SHOP_B' });
  });
});
