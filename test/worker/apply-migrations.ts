import { applyD1Migrations, env } from 'cloudflare:test';

// Setup files run before each test file; applyD1Migrations skips what is already applied.
// Every database a site can be pinned to is migrated alike (README, "A database per shop").
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await applyD1Migrations(env.DB_SHOP_B, env.TEST_MIGRATIONS);
