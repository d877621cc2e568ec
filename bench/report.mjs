// Report benchmark: the worker as `npm start` runs it (wrangler dev, local D1), a 90-day data set
// of about a million events with decisions, then the 90-day report timed over several runs
// (wall clock, client side). The first `--real-days` days go through the real paths (/v1/decide,
// then /v1/collect in 100-event batches, the clock moved day by day with X-Touchpoint-Now); the
// rest of the period is SQL copies of those days' rows under new ids, because the real path runs
// at 150-1,300 events/s on a shared 2-core machine (a million events through it would take 15
// minutes to hours; `--real-days 90` does that).
// Usage: npm run bench:report [-- --days 90 --real-days 9 --visitors-per-day 500 --events-per-visitor 22 --runs 10]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from '../scripts/build.mjs';
import { ensureSite, startWorker } from '../scripts/lib/dev-worker.mjs';
import { queryLocalD1 } from '../scripts/lib/local-d1.mjs';
import { jsonPoster } from './lib/http-client.mjs';
import { percentile, round } from './lib/stats.mjs';

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '90' },
    'real-days': { type: 'string', default: '9' },
    'visitors-per-day': { type: 'string', default: '500' },
    'events-per-visitor': { type: 'string', default: '22' },
    connections: { type: 'string', default: '8' },
    runs: { type: 'string', default: '10' },
  },
});
const days = Number(values.days);
const realDays = Math.min(days, Number(values['real-days']));
if (days % realDays !== 0) throw new Error('--days must be a multiple of --real-days');
const visitorsPerDay = Number(values['visitors-per-day']);
const eventsPerVisitor = Number(values['events-per-visitor']);
const connections = Number(values.connections);
const runs = Number(values.runs);

const DAY = 86_400_000;
const HOUR = 3_600_000;
const token = 'bench-operator-token-0123456789';
const persistTo = mkdtempSync(join(tmpdir(), 'touchpoint-bench-report-'));
await build({ quiet: true });
const worker = await startWorker({ persistTo, adminToken: token, logLevel: 'warn', vars: { CLOCK_OVERRIDE: 'allow' } });
const site = 'bench';
// A 10% store-wide control group and a margin, so the report computes the control group and ROI.
await ensureSite(worker.url, token, site, { allowed_origins: ['http://localhost:*'], rate: { events_per_second: 1_000_000, burst: 10_000_000 }, control_group_percent: 10, gross_margin_percent: 35 });

const post = jsonPoster(worker.url, connections);
const auth = { Authorization: `Bearer ${token}` };
const config = await fetch(`${worker.url}/v1/admin/sites/${site}/config`, {
  method: 'PUT',
  headers: { ...auth, 'Content-Type': 'application/json' },
  body: JSON.stringify({
    overlays: { min_gap_minutes: 0 },
    widgets: {
      signup_benefit: { trigger: { type: 'immediate' }, holdout_percent: 20, variants: [{ id: 'a' }, { id: 'b' }], offer_codes: ['JOIN10'] },
      recommendations: { holdout_percent: 20, offer_codes: ['THANKS5'] },
    },
  }),
});
if (config.status !== 200) throw new Error(`config: ${config.status} ${await config.text()}`);

/** Runs `tasks` with `connections` at a time. */
async function pool(tasks) {
  let next = 0;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (next < tasks.length) await tasks[next++]();
  }));
}

let seq = 0;
let rand = 42;
const random = () => ((rand = (rand * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
// Days start at the site's local midnight (Asia/Seoul, UTC+9): each generated day stays inside one
// report day, so the SQL copies, shifted by whole days, never land on a day of the real ones.
const SEOUL = 9 * HOUR;
const start = Math.floor((Date.now() + SEOUL) / DAY) * DAY - SEOUL - days * DAY;
let events = 0;
let decisions = 0;
let failures = 0;
const phase = { decide: 0, collect: 0 };
const generated = performance.now();

for (let d = 0; d < realDays; d++) {
  const dayStart = start + d * DAY;
  const visitors = Array.from({ length: visitorsPerDay }, (_, i) => ({ anon: `visitor-${d}-${i}`, session: `session-${d}-${i}`, at: dayStart + Math.floor((i / visitorsPerDay) * 20 * HOUR) }));
  // Decisions first (as the page asks for them), at the visitor's own time.
  const t0 = performance.now();
  await pool(visitors.map((v) => async () => {
    const response = await post('/v1/decide', {
      site, anon_id: v.anon, session_id: v.session, page: { url: 'http://localhost:8787/', type: 'home', slots: ['recommendations'] },
      consent: { analytics: true, marketing: true }, session_page_views: 1,
    }, { 'X-Touchpoint-Now': String(v.at) });
    if (response.status !== 200) {
      if (failures++ === 0) console.error("decide failed", response.status, JSON.stringify(response.body));
      return;
    }
    v.decided = [response.body.overlay, ...response.body.inline].filter(Boolean);
    decisions += 2;
  }));
  phase.decide += performance.now() - t0;
  // Then the day's events, sent at the end of the day in 100-event batches.
  const t1 = performance.now();
  const dayEvents = [];
  for (const v of visitors) {
    const mine = [];
    const event = (name, props, offset) => mine.push({ id: `event-${String(seq++).padStart(8, "0")}`, name, ts: v.at + offset, anon_id: v.anon, session_id: v.session, url: 'http://localhost:8787/', props });
    const shown = new Set();
    for (const dec of v.decided ?? []) {
      shown.add(dec.widget);
      const props = { decision_id: dec.decision_id, widget: dec.widget, variant: dec.variant };
      event('widget_impression', props, 1000);
      if (random() < 0.2) event('widget_click', props, 5000);
      else if (dec.widget === 'signup_benefit' && random() < 0.4) event('widget_dismiss', props, 5000);
    }
    if (random() < (shown.has('signup_benefit') ? 0.08 : 0.05)) event('sign_up', { method: 'email' }, HOUR);
    if (random() < (shown.has('recommendations') ? 0.06 : 0.045)) {
      // A third of the orders use a campaign's code (order or item level), some another code.
      const r = random();
      const coupon = r < 0.15 ? { coupon: 'JOIN10', discount: 3000 } : r < 0.3 ? {} : r < 0.35 ? { coupon: 'PARTNER' } : {};
      const item = { item_id: `sku-${seq % 300}`, price: 10000, quantity: 1, ...(r >= 0.15 && r < 0.3 ? { coupon: 'thanks5', discount: 500 } : {}) };
      event('purchase', { transaction_id: `t${seq}`, value: Math.round(10000 + random() * 90000), currency: 'KRW', items: [item], ...coupon }, 2 * HOUR);
    }
    for (let k = 0; mine.length < eventsPerVisitor; k++) {
      if (k % 3 === 2) event('view_item', { currency: 'KRW', items: [{ item_id: `sku-${(seq + k) % 300}`, item_name: 'Linen shirt', price: 19000 }] }, 10_000 + k * 30_000);
      else event('page_view', { title: 'Shop' }, 10_000 + k * 30_000);
    }
    dayEvents.push(...mine);
  }
  const sentAt = dayStart + 23 * HOUR;
  const batches = [];
  for (let i = 0; i < dayEvents.length; i += 100) batches.push(dayEvents.slice(i, i + 100));
  await pool(batches.map((batch) => async () => {
    const response = await post('/v1/collect', { site, sent_at: sentAt, events: batch }, { 'X-Touchpoint-Now': String(sentAt) });
    if (response.status === 202) events += response.body.accepted;
    else if (failures++ === 0) console.error('collect failed', response.status, JSON.stringify(response.body));
  }));
  phase.collect += performance.now() - t1;
  if (d % 3 === 2) console.error(`day ${d + 1}/${realDays}: ${events} events, ${decisions} decisions, ${round((performance.now() - generated) / 1000)} s`);
}
// Let the last batches' processing (waitUntil) finish.
await new Promise((r) => setTimeout(r, 3000));
const realSeconds = (performance.now() - generated) / 1000;
const replicated = performance.now();
if (days > realDays) replicate(days / realDays - 1, realDays);
const replicateSeconds = (performance.now() - replicated) / 1000;

/** The rest of the period: copies of the real days' rows (events, decisions, profiles and every
 * rollup the report reads), `k * realDays` days later, under new visitor ids. */
function replicate(copies, span) {
  const ks = Array.from({ length: copies }, (_, i) => `(${i + 1})`).join(', ');
  const shift = `(k.n * ${span * DAY})`;
  const id = (col) => `${col} || '-' || k.n`;
  const t = (col) => `${col} + ${shift}`;
  const statements = [
    `INSERT INTO events (site, id, name, ts, client_ts, received_at, anon_id, user_id, session_id, url, props, batch_id)
     SELECT site, ${id('id')}, name, ${t('ts')}, ${t('client_ts')}, ${t('received_at')}, ${id('anon_id')}, user_id, ${id('session_id')}, url, props, ${id('batch_id')} FROM events, k WHERE site = '${site}'`,
    `INSERT INTO decisions (site, id, visitor_id, campaign, widget, variant, holdout, session_id, ts, placement, slot, stage)
     SELECT site, ${id('id')}, ${id('visitor_id')}, campaign, widget, variant, holdout, ${id('session_id')}, ${t('ts')}, placement, slot, stage FROM decisions, k WHERE site = '${site}'`,
    `INSERT INTO profiles (site, visitor_id, stage, stage_changed_at, first_seen, last_seen, sessions, last_session_id, page_views, orders, revenue, first_purchase_at, last_purchase_at, is_member, marketing_consent, cart, cart_value, cart_updated_at, marketing_consent_at, return_gap_ms, returned_at, report_stage)
     SELECT site, ${id('visitor_id')}, stage, ${t('stage_changed_at')}, ${t('first_seen')}, ${t('last_seen')}, sessions, last_session_id, page_views, orders, revenue, ${t('first_purchase_at')}, ${t('last_purchase_at')}, is_member, marketing_consent, cart, cart_value, ${t('cart_updated_at')}, ${t('marketing_consent_at')}, return_gap_ms, ${t('returned_at')}, report_stage FROM profiles, k WHERE site = '${site}'`,
    `INSERT INTO report_daily (site, day, campaign, template, variant, holdout, decisions, visitors, impressions, clicks, dismissals, submits, conversions, revenue, revenue_sq)
     SELECT site, day + k.n * ${span}, campaign, template, variant, holdout, decisions, visitors, impressions, clicks, dismissals, submits, conversions, revenue, revenue_sq FROM report_daily, k WHERE site = '${site}'`,
    `INSERT INTO report_visitors (site, visitor_id, campaign, template, variant, holdout, cohort_day, first_decided_at, last_decided_at, last_exposed_at, prev_exposed_at, last_click_at, click_window_ms, view_window_ms, conversions, revenue, converted_at)
     SELECT site, ${id('visitor_id')}, campaign, template, variant, holdout, cohort_day + k.n * ${span}, ${t('first_decided_at')}, ${t('last_decided_at')}, ${t('last_exposed_at')}, ${t('prev_exposed_at')}, ${t('last_click_at')}, click_window_ms, view_window_ms, conversions, revenue, ${t('converted_at')} FROM report_visitors, k WHERE site = '${site}'`,
    `INSERT INTO report_redemptions (site, transaction_id, code, ts, discount)
     SELECT site, ${id('transaction_id')}, code, ${t('ts')}, discount FROM report_redemptions, k WHERE site = '${site}'`,
    `INSERT INTO control_group (site, visitor_id, in_control, cohort_day, assigned_at, orders, revenue)
     SELECT site, ${id('visitor_id')}, in_control, cohort_day + k.n * ${span}, ${t('assigned_at')}, orders, revenue FROM control_group, k WHERE site = '${site}'`,
    `INSERT INTO control_daily (site, day, in_control, shoppers, buyers, repeat_buyers, revenue, revenue_sq)
     SELECT site, day + k.n * ${span}, in_control, shoppers, buyers, repeat_buyers, revenue, revenue_sq FROM control_daily, k WHERE site = '${site}'`,
    `INSERT INTO stage_moves (site, ts, visitor_id, from_stage, to_stage) SELECT site, ${t('ts')}, ${id('visitor_id')}, from_stage, to_stage FROM stage_moves, k WHERE site = '${site}'`,
  ];
  for (const sql of statements) queryLocalD1(persistTo, `WITH k(n) AS (VALUES ${ks}) ${sql.trim()}`);
}

const end = start + days * DAY - 1;
// Report days are the site's local days (Asia/Seoul, the default time zone: UTC+9, no daylight saving).
const day = (ms) => new Date(ms + SEOUL).toISOString().slice(0, 10);
const query = `from=${day(start)}&to=${day(end)}`;
async function timeReport(q) {
  const times = [];
  let body;
  for (let i = 0; i < runs + 1; i++) {
    const started = performance.now();
    const response = await fetch(`${worker.url}/v1/admin/sites/${site}/report?${q}`, { headers: { ...auth, 'X-Touchpoint-Now': String(end) } });
    body = await response.json();
    if (response.status !== 200) throw new Error(`report: ${response.status} ${JSON.stringify(body)}`);
    if (i > 0) times.push(performance.now() - started); // the first run warms the isolate
  }
  return { times, body };
}
const all = await timeReport(query);
const one = await timeReport(`${query}&widget=signup_benefit`);
await worker.stop();

const [stored] = queryLocalD1(persistTo, `SELECT (SELECT count(*) FROM events WHERE site = '${site}') AS events, (SELECT count(*) FROM decisions WHERE site = '${site}') AS decisions,
  (SELECT count(*) FROM report_daily WHERE site = '${site}') AS daily_rows, (SELECT count(*) FROM report_visitors WHERE site = '${site}') AS visitor_rows,
  (SELECT count(*) FROM ingest_batches WHERE processed_at IS NULL) AS unprocessed_batches`);
rmSync(persistTo, { recursive: true, force: true });

const summary = (w) => ({
  campaign: w.campaign, variant: w.variant, shown: [w.shown.visitors, w.shown.conversions], holdout: [w.holdout.visitors, w.holdout.conversions], verdict: w.lift.verdict,
  redemptions: w.redemptions, benefit_cost: w.benefit_cost, incremental_revenue: w.incremental_revenue, incremental_revenue_ci95: w.incremental_revenue_ci95, roi: w.roi,
});
const group = (g) => ({ shoppers: g.shoppers, conversion_rate: g.conversion_rate, revenue_per_shopper: g.revenue_per_shopper, repeat_purchase_rate: g.repeat_purchase_rate });
console.log(JSON.stringify({
  days,
  visitors: days * visitorsPerDay,
  generated_as: realDays < days ? `${realDays} days through /v1/decide and /v1/collect, copied ${days / realDays - 1} times by SQL with shifted days and ids` : 'all through /v1/decide and /v1/collect',
  events_stored: stored.events,
  decisions_stored: stored.decisions,
  rollup_rows: { report_daily: stored.daily_rows, report_visitors: stored.visitor_rows },
  unprocessed_batches: stored.unprocessed_batches,
  failed_requests: failures,
  real_path: { days: realDays, visitors: realDays * visitorsPerDay, events_accepted: events, seconds: round(realSeconds) },
  replicated_copies: days / realDays - 1,
  replicate_seconds: round(replicateSeconds),
  decide_seconds: round(phase.decide / 1000),
  collect_seconds: round(phase.collect / 1000),
  report_ms: { runs, median: round(percentile(all.times, 50)), max: round(Math.max(...all.times)) },
  report_one_widget_ms: { runs, median: round(percentile(one.times, 50)), max: round(Math.max(...one.times)) },
  campaigns: all.body.campaigns.map(summary),
  control_group: { control: group(all.body.control_group.control), others: group(all.body.control_group.others), revenue_per_shopper_difference_ci95: all.body.control_group.difference.revenue_per_shopper_ci95 },
  srm_mismatches: all.body.srm.mismatches,
  redemptions: all.body.redemptions,
  stage_counts: all.body.stages.counts,
}, null, 2));
