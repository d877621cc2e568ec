import { Hono } from 'hono';
import pkg from '../../package.json';
import type { AppEnv, Bindings } from '../env';
import { migrationsBehind } from '../sites/database-migrations';
import { databasesInUse, SHARED_DATABASE, type SiteDatabase } from '../sites/site-database';

async function answers(probe: () => Promise<unknown>): Promise<'ok' | 'error'> {
  try {
    await probe();
    return 'ok';
  } catch (err) {
    console.error('health probe failed', err);
    return 'error';
  }
}

/** Every database a site keeps rows in answers, and none lacks a migration the shared one has (a
 * shop's own database left behind in a rollout). Binding names go to the log only: they may name shops. */
async function databasesHealth(env: Bindings): Promise<{ d1: 'ok' | 'error'; migrations: 'current' | 'behind' }> {
  const shared: SiteDatabase = { binding: SHARED_DATABASE, db: env.DB };
  const databases = await databasesInUse(env).catch(() => [shared]);
  const states = await Promise.all(
    databases.map(async ({ binding, db }) => {
      try {
        const { behind, latest, expected } = await migrationsBehind(db, env.DB);
        if (behind) console.error(`D1 ${binding}: migrations up to ${latest ?? 'none'}, DB up to ${expected}; apply them (README, "A database per shop")`);
        return behind ? 'behind' : 'ok';
      } catch (err) {
        console.error(`health probe of D1 ${binding} failed`, err);
        return 'error';
      }
    }),
  );
  return { d1: states.includes('error') ? 'error' : 'ok', migrations: states.includes('behind') ? 'behind' : 'current' };
}

export const health = new Hono<AppEnv>().get('/v1/health', async (c) => {
  const [{ d1, migrations }, kv] = await Promise.all([databasesHealth(c.env), answers(() => c.env.KV.get('health-probe'))]);
  const ok = d1 === 'ok' && kv === 'ok' && migrations === 'current';
  return c.json({ status: ok ? 'ok' : 'degraded', version: pkg.version, d1, kv, migrations }, ok ? 200 : 503);
});
