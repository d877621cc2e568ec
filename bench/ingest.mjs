// Ingest benchmark: the worker as `npm start` runs it (wrangler dev, local D1), 16 concurrent
// connections sending 20-event batches for 20 s, then a count of what D1 stored.
// Usage: npm run bench:ingest [-- --seconds 20 --connections 16 --batch 20]
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
  options: { seconds: { type: 'string', default: '20' }, connections: { type: 'string', default: '16' }, batch: { type: 'string', default: '20' } },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const batchSize = Number(values.batch);

const token = 'bench-operator-token-0123456789';
const persistTo = mkdtempSync(join(tmpdir(), 'touchpoint-bench-'));
await build({ quiet: true });
// Per-request log lines cost the dev server a third of its throughput; a shop's production
// worker logs nothing per request either.
const worker = await startWorker({ persistTo, adminToken: token, logLevel: 'warn' });
await ensureSite(worker.url, token, 'bench', { allowed_origins: ['http://localhost:*'], rate: { events_per_second: 1_000_000, burst: 10_000_000 } });

let seq = 0;
function makeBatch() {
  const now = Date.now();
  const events = [];
  for (let i = 0; i < batchSize; i++) {
    const n = seq++;
    const visitor = `anon-${String(n % 5000).padStart(6, '0')}`;
    events.push({
      id: `bench-${n}-${Math.random().toString(36).slice(2, 10)}`,
      name: n % 4 === 0 ? 'view_item' : 'page_view',
      ts: now - 50,
      anon_id: visitor,
      session_id: `sess-${visitor}`,
      url: `https://shop.example/products/${n % 300}`,
      props: n % 4 === 0 ? { currency: 'KRW', value: 19000, items: [{ item_id: `sku-${n % 300}`, item_name: 'Linen shirt', price: 19000 }] } : { title: 'Products' },
    });
  }
  return JSON.stringify({ site: 'bench', sent_at: now, events });
}

const postJson = jsonPoster(worker.url, connections);
const post = (body) => postJson('/v1/collect', body);

const latencies = [];
let sent = 0;
let failed = 0;
const end = Date.now() + seconds * 1000;
async function client() {
  while (Date.now() < end) {
    const body = makeBatch();
    const started = performance.now();
    const response = await post(body);
    latencies.push(performance.now() - started);
    if (response.status === 202 && response.body.accepted === batchSize) sent += batchSize;
    else failed++;
  }
}
// Warm up the isolate and the database before measuring.
for (let i = 0; i < 20; i++) await post(makeBatch());
const warm = seq;
const started = performance.now();
await Promise.all(Array.from({ length: connections }, client));
const elapsed = (performance.now() - started) / 1000;
// Profiles and rollups are applied after the answers; how long until they caught up?
const unprocessed = () => queryLocalD1(persistTo, 'SELECT COUNT(*) AS n FROM ingest_batches WHERE processed_at IS NULL')[0].n;
const loadEnded = performance.now();
let pendingAtEnd = unprocessed();
while (pendingAtEnd > 0 && performance.now() - loadEnded < 60_000) pendingAtEnd = unprocessed();
const catchUpSeconds = (performance.now() - loadEnded) / 1000;
await worker.stop();

const stored = queryLocalD1(persistTo, "SELECT COUNT(*) AS n FROM events WHERE site = 'bench'")[0].n - warm;
rmSync(persistTo, { recursive: true, force: true });

const result = {
  connections,
  batch_size: batchSize,
  seconds: round(elapsed),
  events_sent: sent,
  events_stored: stored,
  failed_requests: failed,
  events_per_second: Math.round(sent / elapsed),
  p50_ms: round(percentile(latencies, 50)),
  p99_ms: round(percentile(latencies, 99)),
  processing_caught_up_after_s: pendingAtEnd === 0 ? round(catchUpSeconds) : null,
  unprocessed_batches: pendingAtEnd,
};
console.log(JSON.stringify(result, null, 2));
if (stored !== sent || failed > 0) {
  console.error(`MISMATCH: sent ${sent}, stored ${stored}, failed requests ${failed}`);
  process.exit(1);
}
