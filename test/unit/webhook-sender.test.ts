// The webhook sender against a real HTTP receiver in this process: what arrives, and whether a
// receiver can verify it with nothing but the secret and Node's crypto.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendSignedWebhook } from '../../edge/reviews/webhook-sender';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  path: string;
}

let server: Server;
let base: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body, path: request.url ?? '' });
      if (request.url === '/slow') return setTimeout(() => response.end('late'), 2_000);
      response.statusCode = request.url === '/broken' ? 500 : request.url === '/moved' ? 302 : 204;
      if (request.url === '/moved') response.setHeader('Location', '/elsewhere');
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** What a shop's receiver does: recompute the HMAC over "<t>.<raw body>" and compare in constant time. */
function verify(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('sendSignedWebhook', () => {
  const secret = 'whsec_unit-test-secret-0123456789';
  const body = JSON.stringify({ type: 'review', id: 'evt-1', review: { rating: 5, text: '좋아요 "quoted"' } });

  it('POSTs the JSON body with a signature the receiver can verify', async () => {
    const now = Date.now();
    expect(await sendSignedWebhook(`${base}/hooks/reviews`, secret, 'evt-1', body, now)).toEqual({ ok: true, status: 204 });
    const got = received.at(-1)!;
    expect(got.path).toBe('/hooks/reviews');
    expect(got.body).toBe(body);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['touchpoint-delivery']).toBe('evt-1');
    const signature = got.headers['touchpoint-signature'] as string;
    expect(signature).toMatch(/^t=\d{10},v1=[0-9a-f]{64}$/);
    expect(verify(secret, signature, got.body, Math.floor(now / 1000))).toBe(true);
    // Any change to the body, another secret, or an old replay fails verification.
    expect(verify(secret, signature, got.body.replace('5', '1'), Math.floor(now / 1000))).toBe(false);
    expect(verify('whsec_other-secret-0123456789', signature, got.body, Math.floor(now / 1000))).toBe(false);
    expect(verify(secret, signature, got.body, Math.floor(now / 1000) + 3600)).toBe(false);
  });

  it('reports an error status, does not follow redirects, and gives up on a receiver that hangs', async () => {
    expect(await sendSignedWebhook(`${base}/broken`, secret, 'evt-2', body)).toEqual({ ok: false, status: 500, error: 'HTTP 500' });
    expect(await sendSignedWebhook(`${base}/moved`, secret, 'evt-3', body)).toMatchObject({ ok: false, status: 302 });
    expect(received.some((r) => r.path === '/elsewhere')).toBe(false);
    const slow = await sendSignedWebhook(`${base}/slow`, secret, 'evt-4', body, Date.now(), 200);
    expect(slow).toMatchObject({ ok: false, status: null, error: expect.stringMatching(/TimeoutError|abort/i) });
  });

  it('reports a receiver that is not there', async () => {
    expect(await sendSignedWebhook('http://127.0.0.1:9/nothing', secret, 'evt-5', body)).toMatchObject({ ok: false, status: null });
  });
});
