// Global setup of the worker project: a real HTTP receiver on loopback that the worker inside
// workerd sends webhooks to. It answers by path (`/ok/…` 204, `/fail/…` 500, `/slow/…` after 3 s),
// can be switched down and up per path (`POST /control {path, down}`), and keeps what it was
// sent, raw, for the tests to read back (`GET /received?path=…`) and verify as a shop would.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    receiverUrl: string;
  }
}

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export default async function setup(project: TestProject) {
  const received: Received[] = [];
  const down = new Set<string>();
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://receiver');
      if (request.method === 'GET' && url.pathname === '/received') {
        const path = url.searchParams.get('path');
        response.setHeader('Content-Type', 'application/json');
        return response.end(JSON.stringify(received.filter((r) => !path || r.path === path)));
      }
      if (request.method === 'POST' && url.pathname === '/control') {
        const { path, down: isDown } = JSON.parse(body) as { path: string; down: boolean };
        if (isDown) down.add(path);
        else down.delete(path);
        return response.end('{}');
      }
      const path = url.pathname;
      const status = down.has(path) ? 503 : path.startsWith('/fail/') ? 500 : 204;
      received.push({ path, headers: request.headers, body, status });
      if (path.startsWith('/slow/')) return setTimeout(() => response.writeHead(204).end(), 3_000);
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  project.provide('receiverUrl', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
