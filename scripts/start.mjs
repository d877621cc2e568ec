// `npm start`: build, migrate local D1, make sure a development admin token and the demo site
// exist, then run the worker on http://127.0.0.1:8787 until Ctrl-C. State stays in .wrangler/.
// `npm start -- --queue`: the same with ingest through the local Cloudflare Queue (wrangler.queue.toml).
import { parseArgs } from 'node:util';
import { build } from './build.mjs';
import { DEMO_SITE, ensureDevAdminToken, ensureSite, startWorker, uploadDemoCatalogue, WRANGLER_CONFIGS } from './lib/dev-worker.mjs';

const { values: options } = parseArgs({ options: { queue: { type: 'boolean', default: false } } });
const mode = options.queue ? 'queue' : 'direct';

const port = Number(process.env.PORT ?? 8787);
await build();
const { token, created } = ensureDevAdminToken();
// Local development may hand off to a receiver on localhost (edge/handoff/destination.ts), and the
// demo shop's account page sends what its back office knows (points, tier, coupons).
const worker = await startWorker({ port, config: WRANGLER_CONFIGS[mode], stdio: 'inherit', timeoutMs: 120_000, devTools: true, vars: { ALLOW_LOCAL_WEBHOOKS: 'allow', DEMO_SHOP_SERVER: 'allow' } });
await ensureSite(worker.url, token, 'demo', DEMO_SITE);
await uploadDemoCatalogue(worker.url, token, 'demo');

console.log(`
  Touchpoint is running at ${worker.url}
    demo shop   ${worker.url}/demo
    admin       ${worker.url}/admin   (site "demo")
    health      ${worker.url}/v1/health
    ingest      ${mode === 'queue' ? 'through the local queue (wrangler.queue.toml); queued messages are lost when this stops' : 'direct to D1 (npm start -- --queue: through a local queue)'}
  Admin token ${created ? '(new, written to .dev.vars)' : '(from .dev.vars)'}: ${token}
  Ctrl-C stops it; data stays in .wrangler/state.
`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await worker.stop();
    process.exit(0);
  });
}
