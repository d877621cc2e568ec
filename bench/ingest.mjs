// Ingest benchmark: the worker as `npm start` runs it (wrangler dev, local D1), reached on its own
// socket in workerd past wrangler dev's reload proxy (a dev-only hop; `dev_proxy` says which), 16 concurrent
// connections sending 20-event batches for 20 s, then how long until profiles and report rollups
// reflect every event, and a count of what D1 stored (sent = stored, each once).
// Modes (issue 14): `direct` (collect writes D1), `queue` (collect sends to a local Cloudflare
// Queue, its consumer writes D1; wrangler.queue.toml), `both` (one after the other, one JSON).
// Two loads, one after the other on the same worker:
// - closed loop (`--connections` clients, each sending its next batch when the last is answered):
//   the most the worker takes (events/s); collect's latency here is queueing (Little's law: mean =
//   connections × batch ÷ events/s), not what a shopper's request waits at a load the shop sends;
// - open loop (`--rate` events/s offered at a steady pace, whatever the answers do; latency from
//   each batch's planned send time, so a stall counts against every batch it delays): collect's
//   p50/p99 at a load below what the worker takes, the figure issue 14's queue-mode budget reads.
// `--cpu-profile <file>` also records the worker's V8 CPU profile over the closed loop (per mode:
// <file> gets the mode in its name) and prints the functions with the most self time; the sampling
// slows the worker, so that run's figures are not comparable with others.
// Usage: npm run bench:ingest [-- --mode direct|queue|both --seconds 20 --connections 16 --batch 20 --rate 1500 --rate-seconds 20 --cpu-profile ingest.cpuprofile]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from '../scripts/build.mjs';
import { ensureSite, startWorker, WRANGLER_CONFIGS } from '../scripts/lib/dev-worker.mjs';
import { openLocalD1 } from '../scripts/lib/local-d1.mjs';
import { jsonPoster } from './lib/http-client.mjs';
import { benchBatches } from './lib/ingest-batches.mjs';
import { treeCpuSeconds } from './lib/process-cpu.mjs';
import { formatSelfTime, workerProfiler } from './lib/worker-profiler.mjs';
import { percentile, round } from './lib/stats.mjs';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'direct' },
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '16' },
    batch: { type: 'string', default: '20' },
    rate: { type: 'string', default: '1500' },
    'rate-seconds': { type: 'string', default: '20' },
    'cpu-profile': { type: 'string' },
  },
});
const modes = values.mode === 'both' ? ['direct', 'queue'] : [values.mode];
if (!modes.every((m) => m in WRANGLER_CONFIGS)) throw new Error(`--mode must be direct, queue or both, not ${values.mode}`);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const batchSize = Number(values.batch);
const rate = Number(values.rate);
const rateSeconds = Number(values['rate-seconds']);
/** How long the benchmark waits for stored events, profiles and rollups to catch up. */
const CATCH_UP_LIMIT_MS = 120_000;

const token = 'bench-operator-token-0123456789';
await build({ quiet: true });

async function run(mode) {
  const persistTo = mkdtempSync(join(tmpdir(), `touchpoint-bench-${mode}-`));
  // Per-request log lines cost the dev server a third of its throughput; a shop's production
  // worker logs nothing per request either.
  const worker = await startWorker({ persistTo, adminToken: token, logLevel: 'warn', config: WRANGLER_CONFIGS[mode] });
  try {
    // Past wrangler dev's proxy, which Cloudflare does not have (scripts/lib/dev-worker.mjs).
    const workerdUrl = await worker.workerdUrl();
    const base = workerdUrl ?? worker.url;
    await ensureSite(base, token, 'bench', { allowed_origins: ['http://localhost:*'], rate: { events_per_second: 1_000_000, burst: 10_000_000 } });

    const events = benchBatches('bench', batchSize);
    const makeBatch = () => events.batch();

    const postJson = jsonPoster(base, connections);
    const post = (body) => postJson('/v1/collect', body);
    // Warm up the isolate and the database before measuring.
    for (let i = 0; i < 20; i++) await post(makeBatch());
    const warm = events.sent().events;

    const db = await openLocalD1(persistTo);
    const state = () =>
      db
        .prepare(
          `SELECT (SELECT count(*) FROM events WHERE site = 'bench') AS stored,
                  (SELECT count(*) FROM ingest_batches WHERE site = 'bench') AS pending,
                  (SELECT coalesce(sum(page_views), 0) FROM profiles WHERE site = 'bench') AS profile_page_views`,
        )
        .get();
    // Caught up: every event stored, no batch left for the pipeline, and the profiles count every
    // page view (the pipeline applies profiles and report rollups in one transaction per batch).
    // Returns the seconds it took, or null past the limit.
    const catchUp = async (expected, loadEnded) => {
      const done = (now) => now.stored >= expected && now.pending === 0 && now.profile_page_views === events.sent().pageViews;
      let now = state();
      while (!done(now) && performance.now() - loadEnded < CATCH_UP_LIMIT_MS) {
        await new Promise((r) => setTimeout(r, 50));
        now = state();
      }
      return done(now) ? round((performance.now() - loadEnded) / 1000) : null;
    };
    const tally = () => ({ latencies: [], sent: 0, failed: 0 });
    const settle = (t, response, latency) => {
      t.latencies.push(latency);
      if (response.status === 202 && response.body.accepted === batchSize) t.sent += batchSize;
      else t.failed++;
    };

    // --- closed loop ---
    const closed = tally();
    const end = Date.now() + seconds * 1000;
    const client = async () => {
      while (Date.now() < end) {
        const body = makeBatch();
        const started = performance.now();
        const response = await post(body);
        settle(closed, response, performance.now() - started);
      }
    };
    const profiler = values['cpu-profile'] ? await workerProfiler(worker.inspectorPort) : null;
    await profiler?.start();
    const load = loadavg()[0];
    const cpuBefore = treeCpuSeconds(worker.child.pid);
    const started = performance.now();
    await Promise.all(Array.from({ length: connections }, client));
    const loadEnded = performance.now();
    const elapsed = (loadEnded - started) / 1000;
    if (profiler) {
      const path = values['cpu-profile'].replace(/(\.cpuprofile)?$/, modes.length > 1 ? `-${mode}$1` : '$1');
      const { top } = await profiler.stop(path);
      console.error(`${mode}: the worker's CPU profile over the closed loop is in ${path}; most self time:\n${formatSelfTime(top)}`);
    }
    const caughtUp = await catchUp(warm + closed.sent, loadEnded);
    const cpuUsed = cpuBefore === null ? null : treeCpuSeconds(worker.child.pid) - cpuBefore;

    // --- open loop: a batch every batch/rate seconds, each on its own connection if need be ---
    const open = tally();
    const postPaced = jsonPoster(base, 1024);
    const interval = (batchSize / rate) * 1000;
    const batches = Math.floor((rate * rateSeconds) / batchSize);
    const openLoad = loadavg()[0];
    const openStarted = performance.now();
    const inFlight = [];
    for (let i = 0; i < batches; i++) {
      const planned = openStarted + i * interval;
      const wait = planned - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const body = makeBatch();
      inFlight.push(postPaced('/v1/collect', body).then((response) => settle(open, response, performance.now() - planned)));
    }
    await Promise.all(inFlight);
    const openEnded = performance.now();
    const openCaughtUp = await catchUp(warm + closed.sent + open.sent, openEnded);

    // A late duplicate would show up here.
    await new Promise((r) => setTimeout(r, 1000));
    const stored = state().stored - warm;
    db.close();
    return {
      events_per_s: Math.round(closed.sent / elapsed),
      collect_p50_ms: round(percentile(closed.latencies, 50)),
      collect_p99_ms: round(percentile(closed.latencies, 99)),
      caught_up_s: caughtUp,
      sent: closed.sent + open.sent,
      stored,
      failed_requests: closed.failed + open.failed,
      seconds: round(elapsed),
      load_average_1m: round(load, 2),
      // Whether the load went through wrangler dev's proxy (where workerd's own socket was not found).
      dev_proxy: workerdUrl === null,
      // The worker's CPU (wrangler dev and workerd) from the load's start until caught up, per 1,000 events.
      worker_cpu_ms_per_1k_events: cpuUsed === null ? null : round((cpuUsed * 1000 * 1000) / (closed.sent || 1)),
      open_loop: {
        offered_events_per_s: rate,
        events_per_s: Math.round(open.sent / ((openEnded - openStarted) / 1000)),
        collect_p50_ms: round(percentile(open.latencies, 50)),
        collect_p99_ms: round(percentile(open.latencies, 99)),
        collect_max_ms: round(Math.max(...open.latencies)),
        caught_up_s: openCaughtUp,
        sent: open.sent,
        seconds: round((openEnded - openStarted) / 1000),
        load_average_1m: round(openLoad, 2),
      },
    };
  } finally {
    await worker.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

const results = {};
for (const mode of modes) {
  results[mode] = await run(mode);
  console.log(`${mode}: ${results[mode].events_per_s} events/s, collect p50 ${results[mode].collect_p50_ms} ms, p99 ${results[mode].collect_p99_ms} ms, caught up ${results[mode].caught_up_s} s, sent ${results[mode].sent}, stored ${results[mode].stored}, worker CPU ${results[mode].worker_cpu_ms_per_1k_events} ms per 1,000 events; open loop at ${rate} events/s: collect p50 ${results[mode].open_loop.collect_p50_ms} ms, p99 ${results[mode].open_loop.collect_p99_ms} ms, caught up ${results[mode].open_loop.caught_up_s} s`);
}
const settings = { connections, batch_size: batchSize, offered_events_per_s: rate };
const output = modes.length === 1 ? { mode: modes[0], ...settings, ...results[modes[0]] } : { ...settings, modes: results };
console.log(JSON.stringify(output, null, 2));
const broken = Object.entries(results).filter(([, r]) => r.stored !== r.sent || r.failed_requests > 0 || r.caught_up_s === null || r.open_loop.caught_up_s === null);
if (broken.length > 0) {
  for (const [mode, r] of broken) console.error(`MISMATCH (${mode}): sent ${r.sent}, stored ${r.stored}, failed requests ${r.failed_requests}, caught up ${r.caught_up_s}`);
  process.exit(1);
}
