/** First-party serving: a shop may serve everything its pages load from the edge (the script,
 * its lazy chunks, the widget modules, and the inbox, decide and recommendations endpoints) under
 * a path prefix of its own domain it picks (`https://shop.example/px/sdk.js`), through a
 * Cloudflare route on its zone or its own reverse proxy. Blockers match third-party hosts and
 * telltale path names; here the host is the shop's and the names are neutral.
 *
 * The neutral aliases are what the SDK calls by default; the original routes stay (a contract). */

/** Neutral names the shop serves, and the edge route each stands for. */
const ALIASES: Record<string, string> = { '/v1/inbox': '/v1/collect' };

/** What a shop's pages load from the edge, after whatever prefix the shop chose. */
const PUBLIC_TAIL = /(\/v1\/(?:inbox|collect|decide|recommendations)|\/sdk(?:-show|-compat)?\.js|\/widgets\/(?:chunks\/)?[\w-]{1,64}\.js)$/;

/** A prefix is path segments of letters, digits, `-` and `_` (no dots: never `..`). */
const PREFIX = /^(?:\/[\w-]{1,64}){0,4}$/;

/** The edge path a request path stands for, or null when it is already one (or not a public one).
 * `/px/v1/inbox` → `/v1/collect`, `/px/sdk.js` → `/sdk.js`, `/v1/inbox` → `/v1/collect`. */
export function edgePath(pathname: string): string | null {
  const match = PUBLIC_TAIL.exec(pathname);
  if (!match) return null;
  const tail = match[1]!;
  const prefix = pathname.slice(0, -tail.length);
  if (!PREFIX.test(prefix)) return null;
  const path = ALIASES[tail] ?? tail;
  return path == pathname ? null : path;
}

/** Whether the edge path is served by the worker's routes (else it is a static asset). */
export const isRoute = (path: string): boolean => path.startsWith('/v1/');

/** The request as the edge's own route or asset expects it: same method, headers and body. */
export const rewritten = (request: Request, path: string): Request => {
  const url = new URL(request.url);
  url.pathname = path;
  return new Request(url, request);
};
