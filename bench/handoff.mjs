// Hand-off delivery benchmark: N members (default 10,000) leave a cart through the real collector
// under `wrangler dev`; the cron (run through /cdn-cgi/local/scheduled at a moved clock) sweeps the
// cart_abandoned hand-off and sends every entry to a receiver in this process, which verifies each
// Standard Webhooks signature with the reference library and counts ids. Half-way through, the
// receiver goes down for ten cron runs (503s) and comes back. Prints how many audience
// changes were made, received once, lost and received twice, and how fast they went.
// Usage: npm run bench:handoff [-- --members 10000]
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { build } from '../scripts/build.mjs';
import { ensureSite, startWorker } from '../scripts/lib/dev-worker.mjs';
import { jsonPoster } from './lib/http-client.mjs';
import { round } from './lib/stats.mjs';

const { values } = parseArgs({ options: { members: { type: 'string', default: '10000' } } });
const members = Number(values.members);
const MINUTE = 60_000;

// The shop's receiver.
const seen = new Map(); // webhook-id -> times accepted
let verifier = null;
let down = false;
let badSignatures = 0;
const receiver = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (c) => chunks.push(c));
  request.on('end', () => {
    if (down) return response.writeHead(503).end();
    const body = Buffer.concat(chunks).toString();
    const id = request.headers['webhook-id'];
    const ts = Number(request.headers['webhook-timestamp']);
    // Signed at the bench's moved clock: compare with the reference library's own signature.
    if (verifier.sign(id, new Date(ts * 1000), body) !== request.headers['webhook-signature']) badSignatures++;
    seen.set(id, (seen.get(id) ?? 0) + 1);
    response.writeHead(204).end();
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/alimtalk`;

const token = 'bench-operator-token-0123456789';
const persistTo = mkdtempSync(join(tmpdir(), 'touchpoint-bench-handoff-'));
await build({ quiet: true });
const worker = await startWorker({ persistTo, adminToken: token, logLevel: 'warn', vars: { ALLOW_LOCAL_WEBHOOKS: 'allow' } });
const SITE = 'bench';
await ensureSite(worker.url, token, SITE, { allowed_origins: ['http://localhost:*'], rate: { events_per_second: 1_000_000, burst: 10_000_000 } });
const admin = (path, method, body) =>
  fetch(`${worker.url}/v1/admin/sites/${SITE}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const config = await admin('/config', 'PUT', {
  campaigns: [],
  handoffs: [{ id: 'cart-10m', trigger: { kind: 'cart_abandoned', after_minutes: 10 }, advertising: false, holdout_percent: 0 }],
  handoff_caps: { per_shopper: 5, days: 7 },
});
if (!config.ok) throw new Error(`config: ${config.status} ${await config.text()}`);
const hooks = await admin('/webhooks', 'PUT', { reviews_url: null, handoff_url: receiverUrl });
if (!hooks.ok) throw new Error(`webhooks: ${hooks.status} ${await hooks.text()}`);
verifier = new Webhook((await hooks.json()).secret);

const cron = async (time) => {
  const r = await fetch(`${worker.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent('* * * * *')}&time=${time}`);
  await r.body?.cancel();
};
const start = Date.now();
await cron(start); // the hand-off starts looking from here

// Members leave carts, 50 events a request, 8 requests at a time.
const post = jsonPoster(worker.url, 8);
const events = Array.from({ length: members }, (_, i) => ({
  id: crypto.randomUUID(),
  name: 'add_to_cart',
  ts: start,
  anon_id: `anon-${crypto.randomUUID()}`,
  user_id: `member-${i}`,
  session_id: `sess-${crypto.randomUUID()}`,
  url: 'http://localhost/cart',
  props: { currency: 'KRW', value: 12000, items: [{ item_id: `sku-${i % 500}`, item_name: '머그컵', price: 12000, quantity: 1 }] },
}));
const batches = [];
for (let i = 0; i < events.length; i += 50) batches.push(events.slice(i, i + 50));
// As the SDK does: a batch the collector could not take now (429, 5xx) is sent again.
async function deliver(batch) {
  for (let attempt = 1; ; attempt++) {
    const a = await post('/v1/collect', { site: SITE, sent_at: Date.now(), events: batch }).catch((err) => ({ status: 0, body: { error: String(err) } }));
    if (a.status === 202 && a.body.rejected.length === 0) return;
    if ((a.status !== 0 && a.status !== 429 && a.status < 500) || attempt === 5) throw new Error(`collect: ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 500 * attempt));
  }
}
for (let i = 0; i < batches.length; i += 8) await Promise.all(batches.slice(i, i + 8).map(deliver));
// Let post-ingest processing settle, so every cart is in its profile.
await new Promise((r) => setTimeout(r, 2_000));

// The cron, a minute a run from ten minutes on; the receiver is down for runs 1–10 (503s), while
// the sweep is still working through the audience, and comes back after.
const began = performance.now();
let run = 0;
let lastCount = -1;
for (let time = start + 11 * MINUTE; ; time += MINUTE, run++) {
  down = run >= 1 && run <= 10;
  await cron(time);
  // The scheduled handler's work runs in waitUntil: wait for it to go quiet.
  for (let quiet = 0; quiet < 3; ) {
    await new Promise((r) => setTimeout(r, 300));
    const count = [...seen.values()].reduce((a, b) => a + b, 0);
    quiet = count === lastCount ? quiet + 1 : 0;
    lastCount = count;
  }
  if (!down && seen.size >= members) break;
  if (run > 600) break;
}
const seconds = (performance.now() - began) / 1000;
await worker.stop();
receiver.close();
rmSync(persistTo, { recursive: true, force: true });

const twice = [...seen.values()].filter((n) => n > 1).length;
const result = {
  audience_changes: members,
  received_once: [...seen.values()].filter((n) => n === 1).length,
  received_twice_or_more: twice,
  lost: members - seen.size,
  bad_signatures: badSignatures,
  cron_runs: run + 1,
  receiver_down_runs: 10,
  seconds: round(seconds),
  deliveries_per_s: Math.round(seen.size / seconds),
  load_average: round(loadavg()[0]),
};
console.log(JSON.stringify(result, null, 2));
if (result.lost || twice || badSignatures) process.exit(1);
