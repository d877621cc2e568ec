// Storage benchmark: bytes per event in D1 and in the R2 archive, on a realistic GA4 mix sent
// through the real collect path (`wrangler dev`, local D1 and R2), after the cron's archive and
// prune steps have run and the WAL is checkpointed. Indexes included.
// Usage: npm run bench:storage [-- --events 20000 --visitors 2000 --connections 8]
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from '../scripts/build.mjs';
import { ensureSite, startWorker } from '../scripts/lib/dev-worker.mjs';
import { jsonPoster } from './lib/http-client.mjs';
import { round } from './lib/stats.mjs';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '20000' }, visitors: { type: 'string', default: '2000' }, connections: { type: 'string', default: '8' } },
});
const totalEvents = Number(values.events);
const visitorCount = Number(values.visitors);
const connections = Number(values.connections);
const EVENTS_PER_DAY = 500_000;
const HOT_WINDOW_DAYS = 35; // the default (edge/contract/limits.ts)
const CATALOGUE_PRODUCTS = 50_000; // a shop of that traffic: its catalogue, a row per product
const DAY = 86_400_000;

const token = 'bench-operator-token-0123456789';
const persistTo = mkdtempSync(join(tmpdir(), 'touchpoint-storage-'));
await build({ quiet: true });
const worker = await startWorker({ persistTo, adminToken: token, logLevel: 'warn' });
await ensureSite(worker.url, token, 'shop', { allowed_origins: ['http://localhost:*'], rate: { events_per_second: 1_000_000, burst: 10_000_000 } });

// ---- A realistic GA4 mix: UUID ids, full items, list views of 8–20 items. ----
let seed = 42;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = (list) => list[Math.floor(rand() * list.length)];
const CATEGORIES = [['의류', '상의', '셔츠'], ['의류', '하의', '청바지'], ['잡화', '가방', '토트백'], ['Home', 'Kitchen', 'Mugs'], ['뷰티', '스킨케어', '크림']];
const BRANDS = ['무인양품', 'Linen & Co', '코스', 'Everyday Goods', '한샘'];
const catalog = Array.from({ length: 600 }, (_, n) => {
  const [c1, c2, c3] = pick(CATEGORIES);
  const id = `SKU-${String(100000 + n)}`;
  return {
    item_id: id,
    item_name: `${pick(BRANDS)} ${c3} ${pick(['베이직', 'Classic', '오버핏', 'Slim', '프리미엄'])} ${n}`,
    item_brand: pick(BRANDS),
    item_category: c1,
    item_category2: c2,
    item_category3: c3,
    item_variant: pick(['블랙 / M', 'White / L', '네이비 / S', 'Beige / Free']),
    price: 9900 + Math.floor(rand() * 200) * 500,
    image_url: `https://cdn.shop.example/images/products/${id.toLowerCase()}/main-800x800.jpg`,
    url: `https://shop.example/products/${id.toLowerCase()}?variant=${Math.floor(rand() * 9)}`,
  };
});
const visitors = Array.from({ length: visitorCount }, (_, n) => ({
  anon: randomUUID(),
  user: n % 5 === 0 ? `member-${randomUUID().slice(0, 13)}` : null,
  session: randomUUID(),
  events: 0,
  seq: 0,
}));
const listItem = (item, index, list) => ({ ...item, index, quantity: 1, item_list_id: list.id, item_list_name: list.name });
function makeEvent(now) {
  const v = pick(visitors);
  if (++v.events % 12 === 0) v.session = randomUUID();
  const r = rand();
  const base = { id: randomUUID(), ts: now - 30, anon_id: v.anon, session_id: v.session, seq: v.seq++, ...(v.user ? { user_id: v.user } : {}) };
  const page = (path) => `https://shop.example${path}?utm_source=${pick(['naver', 'kakao', 'google', 'instagram'])}&utm_medium=cpc`;
  if (r < 0.38) return { ...base, name: 'page_view', url: page('/'), props: { title: '메인 | Shop Example', referrer: 'https://m.search.naver.com/search.naver?query=shop' } };
  if (r < 0.55) {
    const list = { id: `cat_${Math.floor(rand() * 30)}`, name: `${pick(CATEGORIES).join(' > ')} 베스트` };
    const size = 8 + Math.floor(rand() * 13);
    const items = Array.from({ length: size }, (_, i) => listItem(pick(catalog), i, list));
    return { ...base, name: 'view_item_list', url: page(`/category/${list.id}`), props: { item_list_id: list.id, item_list_name: list.name, items } };
  }
  const item = pick(catalog);
  if (r < 0.78) return { ...base, name: 'view_item', url: item.url, props: { currency: 'KRW', value: item.price, items: [{ ...item, quantity: 1 }] } };
  if (r < 0.88) return { ...base, name: 'add_to_cart', url: item.url, props: { currency: 'KRW', value: item.price, items: [{ ...item, quantity: 1 + Math.floor(rand() * 2) }] } };
  if (r < 0.92) return { ...base, name: 'begin_checkout', url: page('/checkout'), props: { currency: 'KRW', value: item.price, items: [{ ...item, quantity: 1 }] } };
  if (r < 0.95) {
    const items = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({ ...pick(catalog), quantity: 1 }));
    const value = items.reduce((s, i) => s + i.price, 0);
    return { ...base, name: 'purchase', url: page('/order/complete'), props: { currency: 'KRW', transaction_id: `ORD-${randomUUID()}`, value, shipping: 3000, tax: Math.round(value / 11), items } };
  }
  return { ...base, name: 'scroll', url: item.url, props: { percent_scrolled: 90 } };
}

// What an empty site's database holds (schema, migrations, settings): not per event.
let empty = {};
try {
  empty = bytesByObject();
} catch {
  // no database file yet: nothing to subtract
}

// ---- Send through /v1/collect. ----
const post = jsonPoster(worker.url, connections);
let sent = 0;
let failed = 0;
let rawBytes = 0;
async function client() {
  while (sent < totalEvents) {
    const now = Date.now();
    const events = Array.from({ length: Math.min(20, totalEvents - sent) }, () => makeEvent(now));
    sent += events.length;
    const body = JSON.stringify({ site: 'shop', sent_at: now, events });
    rawBytes += Buffer.byteLength(body);
    const response = await post('/v1/collect', body);
    if (response.status !== 202 || response.body.accepted !== events.length) failed++;
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: connections }, client));
const sendSeconds = (performance.now() - started) / 1000;

// ---- Local D1 through sqlite3: the file the dev worker persists. ----
function d1File() {
  const dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = readdirSync(dir).find((f) => f.endsWith('.sqlite') && statSync(join(dir, f)).size > 0);
  return join(dir, file);
}
function sqlite(sql, file = d1File()) {
  const result = spawnSync('sqlite3', ['-json', file, sql], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`sqlite3: ${result.stderr}`);
  return result.stdout.trim() ? JSON.parse(result.stdout) : [];
}
const waitFor = async (check, what, ms = 120_000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
};
await waitFor(() => sqlite('SELECT count(*) AS n FROM ingest_batches WHERE processed_at IS NULL')[0].n === 0, 'the pipeline to catch up');
const stored = sqlite("SELECT count(*) AS n FROM events WHERE site = 'shop'")[0].n;

/** Bytes per table and index (dbstat: pages in use, after a WAL checkpoint). */
function bytesByObject(file = d1File()) {
  if (file === d1File()) sqlite('PRAGMA wal_checkpoint(TRUNCATE)');
  const rows = sqlite('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC', file);
  return Object.fromEntries(rows.filter((r) => r.name !== undefined && r.bytes !== undefined).map((r) => [r.name, r.bytes]));
}
const EVENT_OBJECTS = new Set(['events', 'event_ids', 'sqlite_autoindex_events_1', 'sqlite_autoindex_event_ids_1']);
const sum = (obj, keep) => Object.entries(obj).reduce((s, [k, v]) => s + (keep(k) ? v : 0), 0);
const beforeArchive = bytesByObject();

// ---- The cron, as if a day later: archive the day to R2, prune its full rows from D1 (ids stay). ----
const cronAt = async (time) => {
  const response = await fetch(`${worker.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent('* * * * *')}&time=${time}`);
  if (!response.ok) throw new Error(`cron: ${response.status}`);
};
const later = Date.now() + DAY + 3_600_000;
for (let run = 0; run < 20; run++) {
  await cronAt(later + run * 60_000);
  const pruned = sqlite("SELECT count(*) AS n FROM archive_days WHERE site = 'shop' AND pruned_at IS NOT NULL")[0].n;
  if (pruned > 0 && sqlite("SELECT count(*) AS n FROM events WHERE site = 'shop'")[0].n === 0) break;
}
const archiveList = await (await fetch(`${worker.url}/v1/admin/sites/shop/archive`, { headers: { Authorization: `Bearer ${token}` } })).json();
const archivedEvents = archiveList.days.reduce((s, d) => s + d.events, 0);
const archiveBytes = archiveList.days.reduce((s, d) => s + d.bytes, 0);
const afterArchive = bytesByObject();
// The same data packed (VACUUM INTO a copy): pages of a random-keyed table (event_ids) run about
// two thirds full in steady state; packed is the floor.
const packedFile = join(persistTo, 'packed.sqlite');
sqlite(`VACUUM INTO '${packedFile}'`);
const packed = bytesByObject(packedFile);

// ---- The cron once the hot window has passed: what it bounds leaves (event ids, sessions and the
// anonymous browsers that never came back, decisions, excluded events); what stays is what a
// year accumulates. Bounded steps: run until nothing windowed is left. ----
const pastWindow = later + (HOT_WINDOW_DAYS + 2) * DAY;
const windowed = () =>
  sqlite("SELECT (SELECT count(*) FROM event_ids) + (SELECT count(*) FROM visitor_sessions) + (SELECT count(*) FROM decisions) + (SELECT count(*) FROM excluded_events) AS n")[0].n;
for (let run = 0; run < 60 && windowed() > 0; run++) await cronAt(pastWindow + run * 60_000);
const windowedLeft = windowed();
await worker.stop();
const afterWindow = bytesByObject();
const benchProducts = sqlite("SELECT count(*) AS n FROM catalog WHERE site = 'shop'")[0]?.n ?? 600;
rmSync(persistTo, { recursive: true, force: true });

// ---- Per table and index: what the hot window bounds vs what stays for good. ----
const perEvent = (bytes) => round(bytes / stored);
const objects = [...new Set([...Object.keys(beforeArchive), ...Object.keys(afterArchive), ...Object.keys(afterWindow)])];
const grown = (obj, k) => Math.max(0, (obj[k] ?? 0) - (empty[k] ?? 0));
const byObject = objects
  .map((k) => ({ object: k, live: grown(beforeArchive, k), steady: grown(afterArchive, k), stays: grown(afterWindow, k) }))
  .filter((r) => r.live + r.steady + r.stays > 0)
  .sort((a, b) => b.steady + b.live / 100 - (a.steady + a.live / 100));
// Two kinds of rows do not grow with a year of events: the catalogue (a row per product: the
// bench's 600 products, projected for CATALOGUE_PRODUCTS) and recommendation session items
// (pruned 12 hours after they are seen by every ingest batch, edge/recs/ingest.ts; no batch
// arrives after the bench's own, so they are still here).
// The catalogue table and every index on it (by name, so an index a migration adds is counted
// right: catalog_by_category_newest, migration 0019, was counted as growing with events).
const CATALOGUE = { has: (object) => object === 'catalog' || object.startsWith('catalog_by_') };
const TWELVE_HOURS = new Set(['rec_session_items', 'rec_session_items_by_age']);
console.log('bytes per event by table/index: live (before archiving) | steady (after archive + prune) | stays past the hot window');
for (const r of byObject) {
  const cls = CATALOGUE.has(r.object) ? 'per product' : TWELVE_HOURS.has(r.object) ? '12 hours' : r.steady === 0 ? 'archived' : r.stays === 0 ? 'hot window' : r.stays < r.steady ? 'partly bounded' : 'stays';
  console.log(`  ${r.object.padEnd(34)} ${String(perEvent(r.live)).padStart(8)} ${String(perEvent(r.steady)).padStart(8)} ${String(perEvent(r.stays)).padStart(8)}  ${cls}`);
}
const windowBytes = byObject.filter((r) => !TWELVE_HOURS.has(r.object)).reduce((s, r) => s + Math.max(0, r.steady - r.stays), 0);
const stayBytes = byObject.filter((r) => !CATALOGUE.has(r.object) && !TWELVE_HOURS.has(r.object)).reduce((s, r) => s + r.stays, 0);
const twelveHourBytes = byObject.filter((r) => TWELVE_HOURS.has(r.object)).reduce((s, r) => s + r.steady, 0);
const catalogueBytes = byObject.filter((r) => CATALOGUE.has(r.object)).reduce((s, r) => s + r.stays, 0);

// ---- Figures. ----
const eventRowsFull = sum(beforeArchive, (k) => k === 'events');
const idRows = sum(afterArchive, (k) => EVENT_OBJECTS.has(k)); // event_ids only, by now
const state = sum(afterArchive, (k) => !EVENT_OBJECTS.has(k));
const totalAfter = idRows + state;
// A year at 500,000 events a day with the default hot window: what the window bounds (event ids,
// sessions, anonymous browsers that never came back, decisions, excluded events) for
// HOT_WINDOW_DAYS of events, full rows for the day and a bit not archived yet, and what stays
// past the window (members, buyers, orders, rollups, aggregates, the catalogue) for every event
// of the year — an upper bound: returning shoppers and known products add no new rows.
const projectedWindowBytes = (windowBytes / stored) * EVENTS_PER_DAY * HOT_WINDOW_DAYS;
const projectedEventBytes = (eventRowsFull / stored) * EVENTS_PER_DAY * 1.5;
const projectedStateBytes = (stayBytes / stored) * EVENTS_PER_DAY * 365;
const projectedCatalogueBytes = (catalogueBytes / benchProducts) * CATALOGUE_PRODUCTS + (twelveHourBytes / stored) * EVENTS_PER_DAY * 0.5;
const projectedYearBytes = projectedWindowBytes + projectedEventBytes + projectedStateBytes + projectedCatalogueBytes;
const result = {
  events_sent: sent,
  events_stored: stored,
  events_archived: archivedEvents,
  failed_requests: failed,
  send_seconds: round(sendSeconds),
  collect_body_bytes_per_event: perEvent(rawBytes),
  d1_event_rows_bytes_per_event_before_archive: perEvent(eventRowsFull),
  d1_event_ids_bytes_per_event: perEvent(idRows),
  d1_state_bytes_per_event: perEvent(state),
  d1_bytes_per_event: perEvent(totalAfter),
  d1_bytes_per_event_packed: perEvent(sum(packed, () => true)),
  d1_event_ids_bytes_per_event_packed: perEvent(sum(packed, (k) => EVENT_OBJECTS.has(k))),
  archive_bytes_per_event: round(archiveBytes / archivedEvents),
  hot_window_days: HOT_WINDOW_DAYS,
  d1_hot_window_bytes_per_event: perEvent(windowBytes),
  d1_stays_bytes_per_event: perEvent(stayBytes),
  windowed_rows_left: windowedLeft,
  projected_year_d1_gb: round(projectedYearBytes / 1e9),
  projected_year_full_rows_gb: round(projectedEventBytes / 1e9),
  projected_year_hot_window_gb: round(projectedWindowBytes / 1e9),
  projected_year_stays_gb: round(projectedStateBytes / 1e9),
  projected_catalogue_and_12h_mb: round(projectedCatalogueBytes / 1e6),
  catalogue_bytes_per_product: round(catalogueBytes / benchProducts),
  catalogue_products_projected: CATALOGUE_PRODUCTS,
  bytes_per_event_by_object: Object.fromEntries(byObject.map((r) => [r.object, { steady: perEvent(r.steady), stays: perEvent(r.stays) }])),
};
console.log(JSON.stringify(result, null, 2));
if (stored !== sent || archivedEvents !== stored || failed > 0) {
  console.error(`MISMATCH: sent ${sent}, stored ${stored}, archived ${archivedEvents}, failed requests ${failed}`);
  process.exit(1);
}
