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
await worker.stop();
const afterArchive = bytesByObject();
// The same data packed (VACUUM INTO a copy): pages of a random-keyed table (event_ids) run about
// two thirds full in steady state; packed is the floor.
const packedFile = join(persistTo, 'packed.sqlite');
sqlite(`VACUUM INTO '${packedFile}'`);
const packed = bytesByObject(packedFile);
rmSync(persistTo, { recursive: true, force: true });

// ---- Figures. ----
const perEvent = (bytes) => round(bytes / stored);
const eventRowsFull = sum(beforeArchive, (k) => k === 'events');
const idRows = sum(afterArchive, (k) => EVENT_OBJECTS.has(k)); // event_ids only, by now
const state = sum(afterArchive, (k) => !EVENT_OBJECTS.has(k));
const totalAfter = idRows + state;
// A year at 500,000 events a day: ids for the hot window, full rows for the day and a bit not
// archived yet, and state (profiles, aggregates, rollups) growing with every event — an upper
// bound, since state grows with shoppers and products rather than with events.
const projectedEventBytes = (idRows / stored) * EVENTS_PER_DAY * HOT_WINDOW_DAYS + (eventRowsFull / stored) * EVENTS_PER_DAY * 1.5;
const projectedStateBytes = (state / stored) * EVENTS_PER_DAY * 365;
const projectedYearBytes = projectedEventBytes + projectedStateBytes;
const top = (obj) => Object.fromEntries(Object.entries(obj).slice(0, 12).map(([k, v]) => [k, perEvent(v)]));
console.log('bytes per event by table/index before archiving:', top(beforeArchive));
console.log('bytes per event by table/index after archive + prune:', top(afterArchive));
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
  projected_year_d1_gb: round(projectedYearBytes / 1e9),
  projected_year_event_rows_gb: round(projectedEventBytes / 1e9),
  projected_year_state_gb: round(projectedStateBytes / 1e9),
};
console.log(JSON.stringify(result, null, 2));
if (stored !== sent || archivedEvents !== stored || failed > 0) {
  console.error(`MISMATCH: sent ${sent}, stored ${stored}, archived ${archivedEvents}, failed requests ${failed}`);
  process.exit(1);
}
