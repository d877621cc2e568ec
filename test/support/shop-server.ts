// A stand-in shop for browser tests: a real HTTP server on a free loopback port serving test
// pages, so pages load over the network like a shop's (not intercepted), on an origin of their
// own (http://localhost:PORT) that is cross-origin to the worker, as in production.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ShopServer {
  origin: string;
  /** Serves `body` at /<id>/ and every path under it (single-page-app routes); returns that URL. */
  page(body: string, contentType?: string): string;
  close(): Promise<void>;
}

export async function startShopServer(): Promise<ShopServer> {
  const pages = new Map<string, { body: string; contentType: string }>();
  const server: Server = createServer((request, response) => {
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
