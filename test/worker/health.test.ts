import { describe, expect, it } from 'vitest';
import pkg from '../../package.json';
import { send } from './helpers';

describe('GET /v1/health', () => {
  it('reports the version, that D1 and KV answer, and that every database has its migrations', async () => {
    const response = await send('/v1/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', version: pkg.version, d1: 'ok', kv: 'ok', migrations: 'current' });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await send('/v1/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
