// A stand-in shop for browser tests: a real HTTP server on a free loopback port serving test
// pages, so pages load over the network like a shop's (not intercepted), on an origin of their
// own (http://localhost:PORT) that is cross-origin to the worker, as in production.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ShopServer {
  origin: string;
  /** Serves `body` at /<id>/ and every path under it (single-page-app routes); returns that URL. */
  page(body: string, contentType?: string): string;
  close(): Promise<void>;
}

/** First-party serving as a shop sets it up (README, First-party serving): every request under
 * `prefix` goes to the edge at `to` with its path unchanged, as a Cloudflare route on the shop's
 * zone sends it to the worker. */
export interface ShopProxy {
  prefix: string;
  to: string;
}

/** Headers a reverse proxy passes on: the browser's own, not the hop's. */
const FORWARDED = ['content-type', 'user-agent', 'origin', 'accept', 'accept-language'];

async function forward(request: IncomingMessage, response: ServerResponse, to: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const headers = Object.fromEntries(FORWARDED.flatMap((name) => (typeof request.headers[name] == 'string' ? [[name, request.headers[name] as string]] : [])));
  try {
    const answer = await fetch(`${to}${request.url}`, { method: request.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined, redirect: 'manual' });
    const passOn = ['content-type', 'cache-control', 'retry-after', 'access-control-allow-origin'];
    response.writeHead(answer.status, Object.fromEntries(passOn.flatMap((name) => (answer.headers.get(name) ? [[name, answer.headers.get(name)!]] : []))));
    response.end(Buffer.from(await answer.arrayBuffer()));
  } catch {
    response.writeHead(502).end();
  }
}

export async function startShopServer(proxy?: ShopProxy): Promise<ShopServer> {
  const pages = new Map<string, { body: string; contentType: string }>();
  const server: Server = createServer((request, response) => {
    if (proxy && request.url?.startsWith(`${proxy.prefix}/`)) return void forward(request, response, proxy.to);
    const id = (request.url ?? '/').split('/')[1] ?? '';
    const page = pages.get(id);
    response.writeHead(page ? 200 : 404, { 'Content-Type': page?.contentType ?? 'text/plain', 'Cache-Control': 'no-store' });
    response.end(page?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  let next = 0;
  return {
    origin,
    page(body, contentType = 'text/html; charset=utf-8') {
      const id = `p${++next}`;
      pages.set(id, { body, contentType });
      return `${origin}/${id}/`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The site the tracker's tests use: like `demo`, but with every widget switched off, so a prompt
 * the decision engine would show never adds events or covers the page under test. */
export const TRACKER_SITE = 'tracker';

/** The embed stub of the README: queues calls, stamped with their time and page, until sdk.js loads. */
export const STUB = `<script>(function(w,n){w[n]=w[n]||function(){var a=arguments;a.t=Date.now();a.u=location.href;(w[n].q=w[n].q||[]).push(a)}})(window,'touchpoint')</script>`;

/** A shop page embedding the SDK from the worker. `head` runs before the SDK script (stub calls,
 * dataLayer pushes); `attributes` go on the script tag. */
export function shopPage(workerUrl: string, { head = '', body = '', attributes = '' }: { head?: string; body?: string; attributes?: string } = {}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test shop</title>${STUB}${head}
<script async src="${workerUrl}/sdk.js" data-site="${TRACKER_SITE}" ${attributes}></script></head><body>${body}</body></html>`;
}
