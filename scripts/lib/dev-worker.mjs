// Starts the real worker under `wrangler dev` with local D1 and KV, for `npm start`, the browser
// tests and the benchmarks alike: one way to bring the worker up.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listeningPorts, processTree } from './processes.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Run wrangler's entry with this Node (22, from the `node` devDependency under npm scripts),
// not whatever `node` a shebang would find first on PATH.
const WRANGLER_JS = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const wrangler = (args) => [process.execPath, [WRANGLER_JS, ...args]];

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The development operator token in .dev.vars, written once if missing. */
export function ensureDevAdminToken() {
  const file = join(ROOT, '.dev.vars');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const match = /^ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?\s*$/m.exec(text);
  if (match) return { token: match[1], created: false };
  const token = `dev-${randomBytes(18).toString('base64url')}`;
  writeFileSync(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}ADMIN_TOKEN="${token}"\n`);
  return { token, created: true };
}

/** The wrangler config of each ingest mode (README, "Ingest through Cloudflare Queues"): direct by
 * default; `queue` adds the INGEST_QUEUE producer, its consumer and the dead-letter queue. */
export const WRANGLER_CONFIGS = { direct: 'wrangler.toml', queue: 'wrangler.queue.toml' };

/** The D1 bindings a wrangler config declares: DB, and each shop's own database an operator added
 * (README, "A database per shop"). Commented-out entries are not bindings. */
export function d1Bindings(config = WRANGLER_CONFIGS.direct) {
  const toml = readFileSync(join(ROOT, config), 'utf8').replace(/^\s*#.*$/gm, '');
  const names = [...toml.matchAll(/\[\[d1_databases\]\][^[]*?binding\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
  return names.length ? names : ['DB'];
}

/** Migrates every D1 binding alike: a site may be pinned to any of them. */
export function applyMigrations(persistTo, config = WRANGLER_CONFIGS.direct) {
  for (const binding of d1Bindings(config)) {
    const args = ['d1', 'migrations', 'apply', binding, '--local', '-c', config, ...(persistTo ? ['--persist-to', persistTo] : [])];
    const result = spawnSync(...wrangler(args), { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    if (result.status !== 0) throw new Error(`wrangler d1 migrations apply ${binding} failed:\n${result.stdout}\n${result.stderr}`);
  }
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/v1/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the worker did not answer ${url}/v1/health within ${timeoutMs} ms`);
}

/** The worker's own socket inside workerd, past wrangler dev's proxy. `wrangler dev` runs two
 * workerd processes: the worker (with local D1, KV, Queues, R2 and the asset router) listening on a
 * port of its own, and in front of it, on the port it prints, a proxy that holds requests while the
 * worker reloads. Cloudflare has no such hop; on two cores the proxy takes a third of one, so the
 * ingest benchmark reads the worker through this socket. Found through /proc (Linux): the workerd
 * that is not listening on `port` and answers /v1/health. Null when not found. */
async function workerdSocketUrl(child, port) {
  const runtimes = (processTree(child.pid) ?? []).filter((p) => /(^|\/)workerd$/.test(p.argv[0] ?? '') && !p.argv.includes(`--socket-addr=entry=127.0.0.1:${port}`));
  for (const runtime of runtimes) {
    for (const candidate of listeningPorts(runtime.pid)) {
      const url = `http://127.0.0.1:${candidate}`;
      try {
        const response = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(2_000) });
        if (response.ok && (await response.json()).status === 'ok') return url;
      } catch {
        // another of workerd's sockets (the inspector's, say)
      }
    }
  }
  return null;
}

/**
 * Runs `wrangler dev` and resolves once /v1/health answers.
 * `vars` become worker variables, e.g. `{ CLOCK_OVERRIDE: 'allow' }` for journeys that move the
 * clock with X-Touchpoint-Now (edge/lib/clock.ts).
 * `config` is the wrangler config (WRANGLER_CONFIGS.queue for queue mode).
 * `devTools` keeps wrangler dev's own local explorer and local observability collector running
 * (X_LOCAL_EXPLORER, X_LOCAL_OBSERVABILITY): every request to the worker also feeds them, on the
 * worker's own workerd thread, which cost the ingest benchmark a fifth of its events per second. On
 * for `npm start`, where a developer may open them; off for tests and benchmarks, which measure
 * the worker as Cloudflare runs it.
 * Resolves to `url` (wrangler dev's, the one to use), `workerdUrl()` (resolves to the worker's own
 * socket past the dev proxy, or null: workerdSocketUrl above), `inspectorPort` (wrangler dev's
 * DevTools endpoint for the worker: CPU profiles), `child`, `stop()` and `output()`.
 * @param {{ port?: number, persistTo?: string, adminToken?: string, logLevel?: string, config?: string, vars?: Record<string, string>, stdio?: 'inherit' | 'pipe', timeoutMs?: number, devTools?: boolean }} options
 */
export async function startWorker({ port, persistTo, adminToken, logLevel, config = WRANGLER_CONFIGS.direct, vars = {}, stdio = 'pipe', timeoutMs = 60_000, devTools = false } = {}) {
  const listenPort = port ?? (await freePort());
  applyMigrations(persistTo, config);
  const inspectorPort = await freePort();
  const args = ['dev', '-c', config, ...(logLevel ? ['--log-level', logLevel] : []), '--ip', '127.0.0.1', '--port', String(listenPort), '--inspector-port', String(inspectorPort), '--show-interactive-dev-session=false'];
  if (persistTo) args.push('--persist-to', persistTo);
  if (adminToken) args.push('--var', `ADMIN_TOKEN:${adminToken}`);
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
  const child = spawn(...wrangler(args), { cwd: ROOT, stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false', ...(!devTools && { X_LOCAL_EXPLORER: 'false', X_LOCAL_OBSERVABILITY: 'false' }) } });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${listenPort}`;
  try {
    await waitForHealth(url, child, timeoutMs);
  } catch (err) {
    child.kill('SIGTERM');
    throw new Error(`${err.message}\n--- wrangler output ---\n${output.slice(-4000)}`);
  }
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
  return { url, workerdUrl: () => workerdSocketUrl(child, listenPort), port: listenPort, inspectorPort, child, stop, output: () => output };
}

/** Settings of the development site `demo`: any localhost port may send to it. No store-wide
 * control group, so every visitor of the demo shop sees its prompts. */
export const DEMO_SITE = {
  name: 'Touchpoint demo shop',
  allowed_origins: ['http://localhost:*', 'http://127.0.0.1:*'],
  consent_mode: 'opt-out',
  control_group_percent: 0,
  rate: { events_per_second: 100_000, burst: 1_000_000 },
};

/** Creates or updates a site through the operator API. Returns the site's admin token. Test and
 * bench sites have no store-wide control group unless `settings` sets `control_group_percent`, so
 * a shopper a test expects to see a prompt never lands in it. */
export async function ensureSite(url, operatorToken, id, settings, siteToken = operatorToken) {
  const response = await fetch(`${url}/v1/admin/sites/${id}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${operatorToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ control_group_percent: 0, ...settings, admin_token: siteToken }),
  });
  if (!response.ok) throw new Error(`could not create site ${id}: ${response.status} ${await response.text()}`);
  return siteToken;
}

/** Uploads the demo shop's catalogue to a site, as a shop would from its database: names, prices,
 * images and the repurchase cycles it knows (`replenish_days`, for the replenishment card). */
export async function uploadDemoCatalogue(url, token, site) {
  const { PRODUCTS, findCategory } = await import('../../edge/assets/demo/js/catalog.js');
  const items = PRODUCTS.map((p) => ({
    item_id: p.id,
    name: p.name.ko,
    price: p.price,
    currency: 'KRW',
    brand: p.brand,
    category: findCategory(p.category)?.name.ko ?? p.category,
    image_url: `${url}/demo/img/${p.id}.svg`,
    url: `${url}/demo/product?id=${p.id}`,
    ...(p.replenishDays ? { replenish_days: p.replenishDays } : {}),
  }));
  const response = await fetch(`${url}/v1/admin/sites/${site}/catalog`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  if (!response.ok) throw new Error(`could not upload the demo catalogue: ${response.status} ${await response.text()}`);
}
