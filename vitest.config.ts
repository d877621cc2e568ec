import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const migrations = await readD1Migrations(fileURLToPath(new URL('./edge/migrations', import.meta.url)));

/** Worker tests that need the queue bindings run in their own project. */
const QUEUE_MODE_TESTS = 'test/worker/ingest-queue.test.ts';

export default defineConfig({
  test: {
    projects: [
      {
        // The worker inside workerd with real D1 and KV (miniflare), migrations applied.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: 'test-operator-token-0123456789', ALLOW_LOCAL_WEBHOOKS: 'allow' },
              // A second D1 beside wrangler.toml's DB: a shop pinned to a database of its own (README,
              // "A database per shop"); and one never migrated, which registering a site on must refuse.
              d1Databases: { DB_SHOP_B: 'touchpoint-shop-b', DB_UNMIGRATED: 'touchpoint-unmigrated' },
            },
          }),
        ],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          exclude: [QUEUE_MODE_TESTS],
          setupFiles: ['./test/worker/apply-migrations.ts'],
          globalSetup: ['./test/support/webhook-receiver.ts'],
          // A hang guard, not a speed check: some tests drive hundreds of requests through the worker
          // while Chromium's tests share the machine (one took 5.4 s in CI against vitest's 5 s default).
          testTimeout: 60_000,
        },
      },
      {
        // Queue mode: the same worker with wrangler.queue.toml's ingest queue, its consumer and
        // dead-letter queue (real local Queues).
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.queue.toml' },
            miniflare: { bindings: { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: 'test-operator-token-0123456789' }, d1Databases: { DB_SHOP_B: 'touchpoint-shop-b' } },
          }),
        ],
        test: { name: 'worker-queue', include: [QUEUE_MODE_TESTS], setupFiles: ['./test/worker/apply-migrations.ts'] },
      },
      {
        // Pure logic of the SDK and helpers, in Node.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        // Real Chromium against the real worker under `wrangler dev` (started once for all files).
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./test/support/dev-server.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
