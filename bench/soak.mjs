// Soak: 200 concurrent shoppers mixing collect and decide against the worker as `npm start`
// runs it, for 60 s; every collect is retried until acknowledged, as the SDK does. Then D1 is
// counted: every event generated must be stored (nothing lost; the key makes doubles impossible).
// Usage: npm run bench:soak [-- --seconds 60 --clients 200]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from '../scripts/build.mjs';
import { ensureSite, startWorker } from '../scripts/lib/dev-worker.mjs';
import { queryLocalD1 } from '../scripts/lib/local-d1.mjs';
import { jsonPoster } from './lib/http-client.mjs';
import { percentile, round } from './lib/stats.mjs';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, clients: { type: 'string', default: '200' } } });
const seconds = Number(values.seconds);
const clients = Number(values.clients);

const token = 'soak-operator-token-0123456789';
const persistTo = mkdtempSync(join(tmpdir(), 'touchpoint-soak-'));
await build({ quiet: true });
const worker = await startWorker({ persistTo, adminToken: token, logLevel: 'warn' });
await ensureSite(worker.url, token, 'soak', { allowed_origins: ['http://localhost:*'], rate: { events_per_second: 1_000_000, burst: 10_000_000 } });
const post = jsonPoster(worker.url, clients);

const latency = { collect: [], decide: [] };
const statuses = {};
let generated = 0;
let fiveXx = 0;
let transportErrors = 0;
const count = (status) => (statuses[status] = (statuses[status] ?? 0) + 1);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function timed(kind, path, body) {
  const started = performance.now();
  try {
    const response = await post(path, body);
    latency[kind].push(performance.now() - started);
    count(`${kind} ${response.status}`);
    if (response.status >= 500) fiveXx++;
    return response;
  } catch {
    transportErrors++;
    return null;
  }
}

async function shopper(n) {
  const anon = `soak-anon-${n}-${Math.random().toString(36).slice(2, 8)}`;
  const session = `soak-sess-${n}-${Date.now().toString(36)}`;
  let seq = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const url = `http://localhost:3000/products/${seq % 50}`;
    if (Math.random() < 0.7) {
      const events = Array.from({ length: 1 + Math.floor(Math.random() * 10) }, () => ({
        id: `${anon}-${seq++}`,
        name: seq % 5 === 0 ? 'add_to_cart' : 'page_view',
        ts: Date.now(),
        anon_id: anon,
        session_id: session,
        url,
        props: seq % 5 === 0 ? { currency: 'KRW', value: 9000, items: [{ item_id: `sku-${seq % 50}`, price: 9000, quantity: 1 }] } : {},
      }));
      generated += events.length;
      // Retried until acknowledged, as the SDK's outbox does.
      for (let attempt = 0; ; attempt++) {
        const response = await timed('collect', '/v1/collect', { site: 'soak', sent_at: Date.now(), events });
        if (response?.status === 202) break;
        await sleep(Math.min(2000, 100 * 2 ** attempt));
      }
    } else {
      await timed('decide', '/v1/decide', {
        site: 'soak',
        anon_id: anon,
        session_id: session,
        page: { url, type: 'product', slots: ['recommendations'] },
        consent: { analytics: true, marketing: true },
      });
    }
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: clients }, (_, n) => shopper(n)));
const elapsed = (performance.now() - started) / 1000;
await worker.stop();
const stored = queryLocalD1(persistTo, "SELECT COUNT(*) AS n FROM events WHERE site = 'soak'")[0].n;
rmSync(persistTo, { recursive: true, force: true });

const requests = latency.collect.length + latency.decide.length;
const result = {
  clients,
  seconds: round(elapsed),
  requests,
  requests_per_second: Math.round(requests / elapsed),
  events_generated: generated,
  events_stored: stored,
  lost: generated - stored,
  events_per_second: Math.round(stored / elapsed),
  collect_p50_ms: round(percentile(latency.collect, 50)),
  collect_p99_ms: round(percentile(latency.collect, 99)),
  decide_p50_ms: round(percentile(latency.decide, 50)),
  decide_p99_ms: round(percentile(latency.decide, 99)),
  status_5xx: fiveXx,
  transport_errors: transportErrors,
  statuses,
};
console.log(JSON.stringify(result, null, 2));
if (result.lost !== 0 || fiveXx > 0) process.exit(1);
