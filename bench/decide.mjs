// Decide benchmark: the worker as `npm start` runs it (wrangler dev, local D1 and KV; reached on its
// own socket in workerd, past wrangler dev's reload proxy: scripts/lib/dev-worker.mjs), one
// shopper with a long history (thousands of events over 29 days, dozens of orders, hundreds of
// products viewed, thousands of recorded decisions) among other shoppers, then sequential
// /v1/decide requests for that shopper (and, in turn, for a newcomer with one page view) with
// --campaigns enabled campaigns (default 30: every template, and more of them aimed at what the
// shop knows — churn risk, repurchase dates, coupons, points, orders, sources, survey answers — so
// every optional read and every audience check runs). Reports the handler's own time
// (Server-Timing: decide;dur, d1;dur its D1 read, and d1-sql;dur what D1 says that read's SQL took:
// the rest of the read is the binding's round trip) and the wall-clock round trip, p50/p99:
// - paced: a request every --gap-ms, as page views come (each decision's write in waitUntil
//   has landed before the next read);
// - back_to_back: the next request as soon as the answer arrives, so every read queues behind
//   the previous decision's write: the shopper's history under write load.
// --products sets the catalogue the shop has (uploaded, with categories) and its shoppers browse:
// a shelf's cost must not grow with it.
// `--url https://… --token <operator token> [--site bench]` runs the same against a deployed worker
// (a Cloudflare account: D1 a network hop away, nothing sharing the worker's thread) instead of a
// local `wrangler dev`; the site is created or updated there and kept.
// `--no-shelf` asks for the decision alone (the page has no recommendations slot), so the shelf's
// share of the request shows against the default run.
// `--cpu-profile <file>` records the worker's V8 CPU profile over the paced requests and prints the
// functions with the most self time over all of them and while the slowest 1% were in flight.
// `--heap-profile <file>` instead samples what the worker allocates over the paced requests (V8's
// sampling heap profiler, freed objects included) and prints the bytes a decision allocates and the
// allocation sites with the most of them (the paced tail is garbage collection: fewer bytes, fewer
// collections); the JSON then carries `allocated_bytes_per_decision`.
// Usage: npm run bench:decide [-- --requests 1000 --events 5000 --decisions 2000 --gap-ms 20 --campaigns 30 --products 300 --no-shelf --url https://touchpoint.example.workers.dev --token … --cpu-profile decide.cpuprofile | --heap-profile decide.heapprofile]
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from '../scripts/build.mjs';
import { ensureSite, startWorker } from '../scripts/lib/dev-worker.mjs';
import { queryLocalD1 } from '../scripts/lib/local-d1.mjs';
import { percentile, round } from './lib/stats.mjs';
import { formatSelfTime, samplesWithin, selfTime, workerHeapSampler, workerProfiler } from './lib/worker-profiler.mjs';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000' },
    'gap-ms': { type: 'string', default: '20' },
    events: { type: 'string', default: '5000' },
    decisions: { type: 'string', default: '2000' },
    campaigns: { type: 'string', default: '30' },
    products: { type: 'string', default: '300' },
    'cpu-profile': { type: 'string' },
    'heap-profile': { type: 'string' },
    'no-shelf': { type: 'boolean', default: false },
    url: { type: 'string' },
    token: { type: 'string' },
    site: { type: 'string', default: 'bench' },
  },
});
const requests = Number(values.requests);
const historyEvents = Number(values.events);
const priorDecisions = Number(values.decisions);
const gapMs = Number(values['gap-ms']);
const shelf = !values['no-shelf'];
const products = Number(values.products);

// --url: a deployed worker (say on a Cloudflare account, where D1 is a network hop and nothing
// shares the worker's thread) instead of a local `wrangler dev`; --token its operator token.
const remote = values.url?.replace(/\/+$/, '');
if (remote && !values.token) throw new Error('--url needs --token, the deployed worker\'s operator token (ADMIN_TOKEN)');
if (remote && (values['cpu-profile'] || values['heap-profile'])) throw new Error('--cpu-profile and --heap-profile read a local worker\'s inspector: not with --url');
const token = values.token ?? 'bench-operator-token-0123456789';
const persistTo = remote ? null : mkdtempSync(join(tmpdir(), 'touchpoint-bench-decide-'));
if (!remote) await build({ quiet: true });
const worker = remote ? null : await startWorker({ persistTo, adminToken: token, logLevel: 'warn' });
const SITE = values.site;
// Past wrangler dev's proxy, which Cloudflare does not have (scripts/lib/dev-worker.mjs).
const workerdUrl = worker ? await worker.workerdUrl() : null;
const base = remote ?? workerdUrl ?? worker.url;
await ensureSite(base, token, SITE, { allowed_origins: ['http://localhost:*'], rate: { events_per_second: 1_000_000, burst: 10_000_000 } });

const transport = base.startsWith('https:') ? https : http;
const agent = new transport.Agent({ keepAlive: true, maxSockets: 4 });
function request(method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const started = performance.now();
    const req = transport.request(`${base}${path}`, { method, agent, headers: { 'Content-Type': 'text/plain', ...(payload ? { 'Content-Length': Buffer.byteLength(payload) } : {}), ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : null, ms: performance.now() - started });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
const admin = { Authorization: `Bearer ${token}` };

// Every template on, as a shop that has just installed Touchpoint has them, then more campaigns
// of them, higher in priority, aimed at facts (most of which this shopper does not match, so each
// request checks them all); no holdout so that every request decides (a holdout decision reads
// the same and writes the same).
const TEMPLATES = ['signup_benefit', 'cart_reminder', 'recommendations', 'review_prompt', 'marketing_consent', 'interested_product', 'welcome_back'];
const AIMS = [
  { churn_risk: { min: 0.9 } },
  { repurchase_due: { days_before: 3, days_after: 7 } },
  { coupons_expiring: { within_days: 3 } },
  { days_since_last_order: { min: 100 } },
  { points_balance: { min: 1000 } },
  { orders: { min: 100 } },
  { survey_answers: [{ survey: 'onboarding', question: 'interest', answers: ['garden'] }] },
  { utm: { source: ['naver'] } },
];
const campaignCount = Number(values.campaigns);
const campaigns = TEMPLATES.map((template) => ({ id: template, name: template, template, holdout_percent: 0 }));
for (let i = 0; campaigns.length < campaignCount; i++) {
  const template = TEMPLATES.filter((t) => t !== 'recommendations')[i % 6];
  campaigns.push({ id: `${template}-${i}`, name: `${template} ${i}`, template, holdout_percent: 0, priority: 100 + i, audience: AIMS[i % AIMS.length] });
}
const config = { campaigns };
const saved = await request('PUT', `/v1/admin/sites/${SITE}/config`, config, { ...admin, 'Content-Type': 'application/json' });
if (saved.status !== 200) throw new Error(`config: ${saved.status} ${JSON.stringify(saved.body)}`);

// --- history ---------------------------------------------------------------------------------
const now = Date.now();
const SPAN = 29 * 86_400_000;
const member = { anon_id: 'anon-bench-long-0001', user_id: 'bench-member-1' };
let seq = 0;
const product = (n) => ({ item_id: `sku-${n}`, item_name: `Product ${n}`, item_category: `category-${n % 20}`, price: 1000 * (1 + (n % 50)), image_url: `https://cdn.example/${n}.png` });
for (let start = 0; start < products; start += 500) {
  const items = [];
  for (let n = start; n < Math.min(products, start + 500); n++) items.push({ item_id: `sku-${n}`, name: `Product ${n}`, category: `category-${n % 20}`, price: 1000 * (1 + (n % 50)), currency: 'KRW', image_url: `https://cdn.example/${n}.png`, url: `https://shop.example/products/sku-${n}` });
  const r = await request('PUT', `/v1/admin/sites/${SITE}/catalog`, { items }, { ...admin, 'Content-Type': 'application/json' });
  if (r.status !== 200) throw new Error(`catalog: ${r.status} ${JSON.stringify(r.body)}`);
}

function historyEvent(i, total, who) {
  const ts = now - SPAN + Math.floor((SPAN * i) / total);
  const session = `sess-${who.anon_id}-${Math.floor(i / 25)}`;
  const base = { id: `h-${seq++}-${Math.random().toString(36).slice(2, 8)}`, ts, anon_id: who.anon_id, ...(who.user_id ? { user_id: who.user_id } : {}), session_id: session };
  const k = i % 25;
  const p = product((Math.floor(i / 25) * 13 + k * 7 + (who.offset ?? 0)) % products);
  if (k === 24 && i % 100 === 99) return { ...base, name: 'purchase', url: 'https://shop.example/checkout/done', props: { transaction_id: `T-${who.anon_id}-${i}`, currency: 'KRW', value: p.price * 2, items: [p, product((i * 11) % products)] } };
  if (k % 5 === 1) return { ...base, name: 'view_item', url: `https://shop.example/products/${p.item_id}`, props: { currency: 'KRW', items: [p] } };
  if (k === 7) return { ...base, name: 'add_to_cart', url: `https://shop.example/products/${p.item_id}`, props: { currency: 'KRW', items: [{ ...p, quantity: 1 }] } };
  if (k === 13) return { ...base, name: 'remove_from_cart', url: 'https://shop.example/cart', props: { items: [{ item_id: p.item_id, quantity: 1 }] } };
  if (k === 17 && i % 200 === 17) return { ...base, name: 'review_submit', url: 'https://shop.example/reviews', props: { item_id: p.item_id, rating: 5 } };
  return { ...base, name: 'page_view', url: `https://shop.example/c/${k}`, props: { page_type: 'category' } };
}

async function sendHistory(who, total) {
  for (let start = 0; start < total; start += 100) {
    const events = [];
    for (let i = start; i < Math.min(total, start + 100); i++) events.push(historyEvent(i, total, who));
    const r = await request('POST', '/v1/collect', { site: SITE, sent_at: now, events });
    if (r.status !== 202 || r.body.accepted !== events.length) throw new Error(`collect: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

const t0 = performance.now();
await sendHistory(member, historyEvents);
// Other shoppers browse all over the catalogue (each from its own place in it).
for (let v = 0; v < 200; v++) await sendHistory({ anon_id: `anon-bench-other-${String(v).padStart(4, '0')}`, offset: Math.floor((v * products) / 200) }, 50);

// A shopper with one page view, asked about in turn with the long one: what history costs,
// measured under the same machine load.
const newcomer = { anon_id: 'anon-bench-new-0001', user_id: 'bench-newcomer-1' };
await sendHistory(newcomer, 1);

const decideBody = (i, who = member) => ({
  site: SITE,
  anon_id: who.anon_id,
  user_id: who.user_id,
  session_id: `sess-bench-decide-${who.anon_id}-${Math.floor(i / 10)}`,
  page: { url: `https://shop.example/products/sku-${i % products}`, type: 'product', item_id: `sku-${i % products}`, lang: 'ko', slots: shelf ? ['recommendations'] : [] },
  consent: { analytics: true, marketing: true },
  device: 'desktop',
  session_page_views: (i % 10) + 1,
});

// Many recorded decisions, with impressions and dismissals reported as widgets would.
for (let i = 0; i < priorDecisions; i++) {
  const r = await request('POST', '/v1/decide', decideBody(i));
  if (r.status !== 200) throw new Error(`decide: ${r.status} ${JSON.stringify(r.body)}`);
  if (r.body.overlay && i % 3 === 0) {
    const { decision_id, widget, variant } = r.body.overlay;
    const name = i % 6 === 0 ? 'widget_dismiss' : 'widget_impression';
    const ev = { id: `w-${seq++}`, name, ts: Date.now() - 5, anon_id: member.anon_id, user_id: member.user_id, session_id: decideBody(i).session_id, url: decideBody(i).page.url, props: { decision_id, widget, variant } };
    await request('POST', '/v1/collect', { site: SITE, sent_at: Date.now(), events: [ev] });
  }
}
const setupSeconds = (performance.now() - t0) / 1000;

// --- measurement -----------------------------------------------------------------------------
let next = priorDecisions;
let decided = 0;
async function measure(count, gap) {
  const samples = new Map([member, newcomer].map((who) => [who, { inWorker: [], d1: [], sql: [], wall: [], windows: [] }]));
  for (let i = 0; i < count; i++) {
    for (const [who, s] of samples) {
      const sent = process.hrtime.bigint();
      const r = await request('POST', '/v1/decide', decideBody(next++, who));
      s.windows.push([Number(sent / 1000n), Number(process.hrtime.bigint() / 1000n)]);
      if (r.status !== 200) throw new Error(`decide: ${r.status} ${JSON.stringify(r.body)}`);
      const timing = /decide;dur=([\d.]+), d1;dur=([\d.]+), d1-sql;dur=([\d.]+)/.exec(r.headers['server-timing'] ?? '');
      if (!timing) throw new Error(`no Server-Timing header of decide's shape: ${r.headers['server-timing']}`);
      s.inWorker.push(Number(timing[1]));
      s.d1.push(Number(timing[2]));
      s.sql.push(Number(timing[3]));
      s.wall.push(r.ms);
      decided += (r.body.overlay ? 1 : 0) + r.body.inline.length;
      if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
    }
  }
  const ms = (xs, p) => round(percentile(xs, p), 2);
  const mean = (xs) => round(xs.reduce((a, b) => a + b, 0) / xs.length, 2);
  const figures = ({ inWorker, d1, sql, wall }) => ({
    in_worker_ms: { p50: ms(inWorker, 50), p90: ms(inWorker, 90), p99: ms(inWorker, 99), max: round(Math.max(...inWorker), 2) },
    d1_read_ms: { p50: ms(d1, 50), p99: ms(d1, 99), mean: mean(d1) },
    // Of the read, what D1 says its statements took to run (the state and the shelf together).
    d1_sql_ms: { p50: ms(sql, 50), p99: ms(sql, 99), mean: mean(sql) },
    wall_clock_ms: { p50: ms(wall, 50), p99: ms(wall, 99) },
  });
  return { requests: count, long_history: figures(samples.get(member)), newcomer: figures(samples.get(newcomer)), samples };
}
if (values['cpu-profile'] && values['heap-profile']) throw new Error('--cpu-profile and --heap-profile each slow the worker: take one at a time');
const profiler = values['cpu-profile'] ? await workerProfiler(worker.inspectorPort) : null;
await profiler?.start();
const heapSampler = values['heap-profile'] ? await workerHeapSampler(worker.inspectorPort) : null;
await heapSampler?.start();
const { samples: pacedSamples, ...paced } = await measure(requests, gapMs);
if (profiler) {
  const { profile, top } = await profiler.stop(values['cpu-profile']);
  // The requests of both shoppers whose in-worker time was in the slowest 1%.
  const all = [...pacedSamples.values()].flatMap((s) => s.inWorker.map((ms, i) => ({ ms, window: s.windows[i] })));
  const slowest = all.sort((a, b) => b.ms - a.ms).slice(0, Math.max(1, Math.round(all.length / 100)));
  console.error(`The worker's CPU profile over the paced requests is in ${values['cpu-profile']}; most self time:\n${formatSelfTime(top)}`);
  console.error(`While the slowest ${slowest.length} requests (${slowest.at(-1).ms}–${slowest[0].ms} ms in the worker) were in flight:\n${formatSelfTime(selfTime(samplesWithin(profile, slowest.map((s) => s.window))).slice(0, 15))}`);
}
let allocatedPerDecision;
if (heapSampler) {
  const { bytes, sites } = await heapSampler.stop(values['heap-profile']);
  allocatedPerDecision = Math.round(bytes / (2 * requests));
  console.error(`The worker's allocations over the paced requests are in ${values['heap-profile']}: ${allocatedPerDecision} bytes a decision; most by site:`);
  console.error(sites.map((s) => `  ${String(s.percent).padStart(5)}%  ${String(Math.round(s.bytes / (2 * requests))).padStart(6)} B  ${s.site}`).join('\n'));
}
const { samples: _, ...backToBack } = await measure(requests, 0);

/** The long shopper's history as stored: counted in the local D1, or from the profile view of a deployed worker. */
async function storedHistory() {
  if (!remote) {
    await worker.stop();
    const [counts] = queryLocalD1(
      persistTo,
      `SELECT (SELECT count(*) FROM events WHERE site = '${SITE}' AND anon_id = '${member.anon_id}') AS events,
              (SELECT count(*) FROM decisions WHERE site = '${SITE}' AND visitor_id = 'u:${member.user_id}') AS decisions,
              (SELECT orders FROM profiles WHERE site = '${SITE}' AND visitor_id = 'u:${member.user_id}') AS orders,
              (SELECT count(*) FROM product_views WHERE site = '${SITE}' AND visitor_id = 'u:${member.user_id}') AS products_viewed,
              (SELECT count(*) FROM events WHERE site = '${SITE}') AS events_all`,
    );
    rmSync(persistTo, { recursive: true, force: true });
    return counts;
  }
  const view = await request('GET', `/v1/admin/sites/${SITE}/profile?user_id=${member.user_id}`, undefined, admin);
  if (view.status !== 200) throw new Error(`profile: ${view.status} ${JSON.stringify(view.body)}`);
  const decisions = Object.values(view.body.campaigns).reduce((sum, c) => sum + c.decisions, 0);
  return { events: null, decisions, orders: view.body.profile.orders, products_viewed: null, events_all: null };
}
const counts = await storedHistory();

console.log(
  JSON.stringify(
    {
      campaigns: campaigns.length,
      catalog_products: products,
      // Whether each request asked for the page's recommendations shelf too (--no-shelf: the decision alone).
      shelf,
      shopper_history: { events: counts.events, decisions: counts.decisions, orders: counts.orders, products_viewed: counts.products_viewed },
      site_events: counts.events_all,
      setup_seconds: round(setupSeconds),
      // Where the worker ran: a local `wrangler dev`, or the deployed worker --url named.
      target: remote ?? 'wrangler dev',
      // Whether the requests went through wrangler dev's proxy (where workerd's own socket was not found).
      dev_proxy: !remote && workerdUrl === null,
      widgets_decided: decided,
      ...(allocatedPerDecision !== undefined ? { allocated_bytes_per_decision: allocatedPerDecision } : {}),
      paced: { gap_ms: gapMs, ...paced },
      back_to_back: backToBack,
      load_average: loadavg().map((l) => round(l, 1)),
    },
    null,
    2,
  ),
);
