import { Hono } from 'hono';
import pkg from '../../package.json';
import type { AppEnv } from '../env';

async function answers(probe: () => Promise<unknown>): Promise<'ok' | 'error'> {
  try {
    await probe();
    return 'ok';
  } catch (err) {
    console.error('health probe failed', err);
    return 'error';
  }
}

export const health = new Hono<AppEnv>().get('/v1/health', async (c) => {
  const [d1, kv] = await Promise.all([
    answers(() => c.env.DB.prepare('SELECT 1').first()),
    answers(() => c.env.KV.get('health-probe')),
  ]);
  const ok = d1 === 'ok' && kv === 'ok';
  return c.json({ status: ok ? 'ok' : 'degraded', version: pkg.version, d1, kv }, ok ? 200 : 503);
});
