// The webhook sender against a real HTTP receiver in this process: what arrives, and whether a
// receiver verifies it with the Standard Webhooks reference library and nothing but the secret.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSigned } from '../../edge/handoff/post-signed';
import { newWebhookSecret } from '../../edge/handoff/standard-webhooks';

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

/** What a shop's receiver does: the reference library's verify (it also refuses stale timestamps). */
function verifies(secret: string, headers: IncomingMessage['headers'], body: string): boolean {
  try {
    new Webhook(secret).verify(body, headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}

describe('postSigned', () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({ type: 'review', id: 'evt-1', review: { rating: 5, text: '좋아요 "quoted"' } });

  it('POSTs the JSON body with a signature the receiver can verify', async () => {
    const now = Date.now();
    expect(await postSigned(`${base}/hooks/reviews`, secret, 'evt-1', body, now)).toEqual({ ok: true, status: 204 });
    const got = received.at(-1)!;
    expect(got.path).toBe('/hooks/reviews');
    expect(got.body).toBe(body);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['webhook-id']).toBe('evt-1');
    expect(got.headers['webhook-timestamp']).toBe(String(Math.floor(now / 1000)));
    expect(got.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verifies(secret, got.headers, got.body)).toBe(true);
    // Any change to the body or the id, or another secret, fails verification.
    expect(verifies(secret, got.headers, got.body.replace('5', '1'))).toBe(false);
    expect(verifies(secret, { ...got.headers, 'webhook-id': 'evt-2' }, got.body)).toBe(false);
    expect(verifies(newWebhookSecret(), got.headers, got.body)).toBe(false);
  });

  it('reports an error status, does not follow redirects, and gives up on a receiver that hangs', async () => {
    expect(await postSigned(`${base}/broken`, secret, 'evt-2', body, Date.now())).toEqual({ ok: false, status: 500, error: 'HTTP 500' });
    expect(await postSigned(`${base}/moved`, secret, 'evt-3', body, Date.now())).toMatchObject({ ok: false, status: 302 });
    expect(received.some((r) => r.path === '/elsewhere')).toBe(false);
    const slow = await postSigned(`${base}/slow`, secret, 'evt-4', body, Date.now(), 200);
    expect(slow).toMatchObject({ ok: false, status: null, error: expect.stringMatching(/TimeoutError|abort/i) });
  });

  it('reports a receiver that is not there', async () => {
    expect(await postSigned('http://127.0.0.1:9/nothing', secret, 'evt-5', body, Date.now())).toMatchObject({ ok: false, status: null });
  });
});
