// Widget latency: from the trigger firing (mount called) to the widget painted on screen, in
// Chromium against the worker as `npm start` runs it (wrangler dev on localhost).
//   cold: the trigger fires, the module (and its chunks) are fetched with import(), then mounted;
//         a fresh browser context each run, so nothing is in the HTTP cache.
//   warm: the module was already imported (the SDK may import it when the decision arrives,
//         before the trigger fires); only mount and paint are timed.
// "Painted" is the end of the first frame in which the widget has a box on screen. The
// recommendations shelf is timed until its products (fetched from /v1/recommendations) are shown.
// Budget: 100 ms (median, cold). Usage: npm run bench:widget-latency [-- --runs 15]
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { build, widgetNames } from '../scripts/build.mjs';
import { ensureSite, startWorker } from '../scripts/lib/dev-worker.mjs';
import { percentile, round } from './lib/stats.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const RUNS = Number(values.runs);
const BUDGET_MS = 100;
const token = 'bench-operator-token-0123456789';

await build({ quiet: true });
const persistTo = mkdtempSync(join(tmpdir(), 'touchpoint-bench-widgets-'));
const worker = await startWorker({ persistTo, adminToken: token, logLevel: 'warn' });
await ensureSite(worker.url, token, 'bench', { allowed_origins: ['http://localhost:*'] });
const items = Array.from({ length: 12 }, (_, i) => ({ item_id: `sku-${i}`, name: `Product ${i}`, price: 10000 + i * 1000, currency: 'KRW', url: `https://shop.example/p/${i}` }));
await fetch(`${worker.url}/v1/admin/sites/bench/catalog`, { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ items }) });

const item = { item_id: 'sku-1', name: 'Product 1', price: 11000, currency: 'KRW', url: 'https://shop.example/p/1' };
const PROPS = {
  signup_benefit: { signup_url: 'https://shop.example/signup', benefit: { kind: 'coupon', amount: '5,000원' }, email_capture: true },
  cart_reminder: { cart_url: 'https://shop.example/cart', items: [item, { ...item, item_id: 'sku-2' }], total: 22000, offer: { code: 'SAVE10' } },
  recommendations: { strategy: 'trending', limit: 8 },
  review_prompt: { items: [item] },
  marketing_consent: {},
  interested_product: { item, views: 3 },
  welcome_back: { offer: { code: 'HELLO' } },
};

// The shop page: a real localhost origin (Chromium refuses loopback fetches from pages it did not load from the network).
const shop = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end('<!doctype html><html lang="ko"><body><h1>Shop</h1><div id="slot" data-touchpoint="recommendations" style="min-height:318px"></div></body></html>');
});
await new Promise((resolve) => shop.listen(0, '127.0.0.1', resolve));
const shopUrl = `http://localhost:${shop.address().port}/`;

/** Runs in the page: optionally imports, then mounts and resolves with ms until the frame that shows it was painted. */
async function timeMount({ endpoint, name, props, preload }) {
  const url = `${endpoint}/widgets/${name}.js`;
  const preloaded = preload ? await import(url) : null;
  const host = { lang: 'ko', endpoint, site: 'bench', anonId: 'anon-bench-0001', userId: null, track() {} };
  const decision = { decision_id: 'dec-bench-0001', widget: name, variant: 'a', trigger: { type: 'immediate' }, props };
  const inline = name === 'recommendations';
  const slot = inline ? document.getElementById('slot') : null;
  const shown = () => {
    const root = inline ? slot.shadowRoot : document.querySelector('[data-touchpoint-widget]')?.shadowRoot;
    const el = root?.querySelector(inline ? '.tp-recs[aria-busy="false"] .tp-card' : '.tp-panel');
    const box = el?.getBoundingClientRect();
    return box && box.width > 0 && box.height > 0;
  };
  const afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = resolve; ch.port2.postMessage(0); }));
  const t0 = performance.now();
  const mod = preloaded ?? (await import(url));
  const t1 = performance.now();
  mod.mount({ decision, host, slot });
  const t2 = performance.now();
  while (!shown()) await afterPaint();
  await afterPaint();
  return { total: performance.now() - t0, load: t1 - t0, render: t2 - t1 };
}

const loadBefore = loadavg()[0];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const results = [];
try {
  for (const name of widgetNames()) {
    const sample = { cold: [], warm: [], load: [], render: [] };
    for (let run = 0; run < RUNS; run++) {
      for (const mode of ['cold', 'warm']) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        await page.goto(shopUrl);
        const t = await page.evaluate(timeMount, { endpoint: worker.url, name, props: PROPS[name], preload: mode === 'warm' });
        sample[mode].push(t.total);
        if (mode === 'cold') sample.load.push(t.load);
        else sample.render.push(t.render);
        await context.close();
      }
    }
    results.push({ name, ...sample });
  }
} finally {
  await browser.close();
  shop.close();
  await worker.stop();
  rmSync(persistTo, { recursive: true, force: true });
}

console.log(`Trigger -> widget painted, Chromium against wrangler dev on localhost, ${RUNS} runs each (ms)`);
// Timing on a shared machine says little without how busy it was.
console.log(`machine: ${cpus().length} cores, load average ${loadBefore.toFixed(1)} before / ${loadavg()[0].toFixed(1)} after`);
console.log('widget               cold median   cold p90   warm median   warm p90   (import   mount)   budget 100 ms (cold median)');
let worst = 0;
for (const r of results) {
  const cold = percentile(r.cold, 50);
  worst = Math.max(worst, cold);
  console.log(
    `${r.name.padEnd(20)} ${String(round(cold)).padStart(11)} ${String(round(percentile(r.cold, 90))).padStart(10)} ${String(round(percentile(r.warm, 50))).padStart(13)} ${String(round(percentile(r.warm, 90))).padStart(10)}   (${String(round(percentile(r.load, 50))).padStart(6)} ${String(round(percentile(r.render, 50))).padStart(7)})   ${cold <= BUDGET_MS ? 'ok' : 'OVER'}`,
  );
}
console.log(`\nSlowest cold median: ${round(worst)} ms of ${BUDGET_MS} ms.`);
if (worst > BUDGET_MS) process.exitCode = 1;
