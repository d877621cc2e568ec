// Global setup of the browser project: one real worker under `wrangler dev` with fresh local D1
// and KV in a temporary folder, and the demo site, shared by every browser test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { launchChromium } from '../../scripts/lib/browser.mjs';
// @ts-expect-error plain ESM build scripts, no declarations
import { build } from '../../scripts/build.mjs';
// @ts-expect-error plain ESM build scripts, no declarations
import { DEMO_SITE, ensureSite, startWorker } from '../../scripts/lib/dev-worker.mjs';

export const TEST_ADMIN_TOKEN = 'browser-test-operator-token-0123456789';

const WIDGETS = ['signup_benefit', 'cart_reminder', 'recommendations', 'review_prompt', 'marketing_consent', 'interested_product', 'welcome_back'];

async function putConfig(url: string, site: string, config: unknown): Promise<void> {
  const response = await fetch(`${url}/v1/admin/sites/${site}/config`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(config),
  });
  if (!response.ok) throw new Error(`config of ${site}: ${response.status} ${await response.text()}`);
}

declare module 'vitest' {
  export interface ProvidedContext {
    workerUrl: string;
    adminToken: string;
    persistDir: string;
  }
}

export default async function setup(project: TestProject) {
  // No browser, no browser suite: fail here, once, with the line that says what to do, rather
  // than in every file's hook.
  await (await launchChromium()).close();
  await build({ quiet: true });
  const persistDir = mkdtempSync(join(tmpdir(), 'touchpoint-browser-'));
  const worker = await startWorker({ persistTo: persistDir, adminToken: TEST_ADMIN_TOKEN, vars: { CLOCK_OVERRIDE: 'allow', ALLOW_LOCAL_WEBHOOKS: 'allow', DEMO_SHOP_SERVER: 'allow' } });
  await ensureSite(worker.url, TEST_ADMIN_TOKEN, 'demo', DEMO_SITE);
  await ensureSite(worker.url, TEST_ADMIN_TOKEN, 'tracker', DEMO_SITE);
  await putConfig(worker.url, 'tracker', { widgets: Object.fromEntries(WIDGETS.map((w) => [w, { enabled: false }])) });
  project.provide('workerUrl', worker.url);
  project.provide('adminToken', TEST_ADMIN_TOKEN);
  project.provide('persistDir', persistDir);
  return async () => {
    await worker.stop();
    rmSync(persistDir, { recursive: true, force: true });
  };
}
