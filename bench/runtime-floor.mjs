// Runtime floor benchmark: what this machine's local Cloudflare stack costs a request before any
// Touchpoint code runs, measured the way bench:decide and bench:ingest measure the worker (wrangler
// dev, local D1, the worker's own socket past the dev proxy, the same pacing and connections), on
// a worker that does nothing else (bench/floor-worker: static assets in front with the worker first
// for /v1/*, observability on, like wrangler.toml). Budgets are absolute; these figures say how
// much of one the stack itself takes:
// - d1_round_trip_ms: one D1 batch that does no work (SELECT 1), timed in the worker as decide
//   times its read (performance.now() around the batch), a request every --gap-ms. Decide's
//   in-worker time is one such round trip plus its SQL and its own work (issue 15: p99 < 10 ms).
// - empty_request: closed loop, --connections clients posting a --batch-event body that the
//   worker reads and answers 204: the most requests per second the stack serves at all.
// - store_only: the same load, each request's events stored once by id (one statement each,
//   group-committed as Touchpoint's writer does) and answered 202 once durable: collect's write
//   without validation or the post-ingest pipeline, events per second with nothing else of
//   Touchpoint's (issue 14: direct ≥ 6,000/s).
// Usage: npm run bench:runtime-floor [-- --requests 1000 --gap-ms 20 --seconds 15 --connections 16 --batch 20]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startWorker } from '../scripts/lib/dev-worker.mjs';
import { queryLocalD1 } from '../scripts/lib/local-d1.mjs';
import { jsonPoster } from './lib/http-client.mjs';
import { benchBatches } from './lib/ingest-batches.mjs';
import { treeCpuSeconds } from './lib/process-cpu.mjs';
import { percentile, round } from './lib/stats.mjs';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000' },
    'gap-ms': { type: 'string', default: '20' },
    seconds: { type: 'string', default: '15' },
    connections: { type: 'string', default: '16' },
    batch: { type: 'string', default: '20' },
  },
});
const requests = Number(values.requests);
const gapMs = Number(values['gap-ms']);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const batchSize = Number(values.batch);

const persistTo = mkdtempSync(join(tmpdir(), 'touchpoint-bench-floor-'));
const worker = await startWorker({ persistTo, config: 'bench/floor-worker/wrangler.toml', logLevel: 'warn' });
try {
  // Past wrangler dev's proxy, as the other benchmarks (scripts/lib/dev-worker.mjs).
  const workerdUrl = await worker.workerdUrl();
  const base = workerdUrl ?? worker.url;
  const post = jsonPoster(base, connections);
  const batches = benchBatches('floor', batchSize);
  for (let i = 0; i < 50; i++) {
    await post('/v1/floor/read', '');
    await post('/v1/floor/store', batches.batch());
  }
  const warm = batches.sent().events;

  // --- paced D1 round trips ---
  const roundTrips = [];
  for (let i = 0; i < requests; i++) {
    const response = await post('/v1/floor/read', '');
    const timing = /d1;dur=([\d.]+)/.exec(response.headers['server-timing'] ?? '');
    if (response.status !== 204 || !timing) throw new Error(`/v1/floor/read answered ${response.status} without its Server-Timing`);
    roundTrips.push(Number(timing[1]));
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }

  // --- closed loops ---
  const closedLoop = async (path, accepted) => {
    const latencies = [];
    let failed = 0;
    const end = Date.now() + seconds * 1000;
    const cpuBefore = treeCpuSeconds(worker.child.pid);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (Date.now() < end) {
          const body = batches.batch();
          const sent = performance.now();
          const response = await post(path, body);
          latencies.push(performance.now() - sent);
          if (!accepted(response)) failed++;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const cpu = cpuBefore === null ? null : treeCpuSeconds(worker.child.pid) - cpuBefore;
    return { count: latencies.length, failed, elapsed, cpu, p50: round(percentile(latencies, 50), 1), p99: round(percentile(latencies, 99), 1) };
  };
  const load = loadavg()[0];
  const empty = await closedLoop('/v1/floor/empty', (r) => r.status === 204);
  const beforeStore = batches.sent().events;
  const store = await closedLoop('/v1/floor/store', (r) => r.status === 202 && r.body?.inserted === batchSize);
  const sent = batches.sent().events - beforeStore;
  const [{ stored }] = queryLocalD1(persistTo, `SELECT count(*) AS stored FROM floor_events WHERE site = 'floor'`);

  const mean = roundTrips.reduce((a, b) => a + b, 0) / roundTrips.length;
  const result = {
    dev_proxy: workerdUrl === null,
    load_average_1m: round(load, 2),
    d1_round_trip_ms: {
      requests,
      gap_ms: gapMs,
      p50: round(percentile(roundTrips, 50), 2),
      p90: round(percentile(roundTrips, 90), 2),
      p99: round(percentile(roundTrips, 99), 2),
      max: round(Math.max(...roundTrips), 2),
      mean: round(mean, 2),
    },
    empty_request: {
      connections,
      requests_per_s: Math.round(empty.count / empty.elapsed),
      p50_ms: empty.p50,
      p99_ms: empty.p99,
      worker_cpu_ms_per_request: empty.cpu === null ? null : round((empty.cpu * 1000) / empty.count, 2),
      failed_requests: empty.failed,
    },
    store_only: {
      connections,
      batch_size: batchSize,
      requests_per_s: Math.round(store.count / store.elapsed),
      events_per_s: Math.round(sent / store.elapsed),
      p50_ms: store.p50,
      p99_ms: store.p99,
      worker_cpu_ms_per_1k_events: store.cpu === null ? null : Math.round((store.cpu * 1_000_000) / sent),
      sent,
      stored: stored - warm,
      failed_requests: store.failed,
    },
  };
  console.log(JSON.stringify(result, null, 2));
  if (result.store_only.stored !== sent || store.failed > 0 || empty.failed > 0) {
    console.error(`the floor lost requests or events: sent ${sent}, stored ${result.store_only.stored}, failed ${store.failed + empty.failed}`);
    process.exitCode = 1;
  }
} finally {
  await worker.stop();
  rmSync(persistTo, { recursive: true, force: true });
}
