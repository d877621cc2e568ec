import type { D1Migration } from 'cloudflare:test';
import type { Bindings } from '../../edge/env';

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {
      TEST_MIGRATIONS: D1Migration[];
      /** The second D1 of the tests (vitest.config.ts): test/worker/database-per-shop.test.ts pins a site to it. */
      DB_SHOP_B: D1Database;
      /** A D1 no migration was applied to: a site pinned to it is refused. */
      DB_UNMIGRATED: D1Database;
    }
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The loopback webhook receiver of test/support/webhook-receiver.ts. */
    receiverUrl: string;
  }
}
