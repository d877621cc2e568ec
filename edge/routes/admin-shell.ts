import { Hono } from 'hono';
import type { AppEnv } from '../env';

/** The admin is one page with its own routes (/admin/overview, /admin/campaigns/…): any /admin/*
 * path that is not a file of the build gets the page, so deep links and reloads work. Static
 * assets answer first (wrangler.toml), so this runs only for those paths. The headers are the
 * ones scripts/build.mjs writes into `_headers` for the page itself (a token lives in it). */
const ADMIN_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export const adminShell = new Hono<AppEnv>().get('/admin/*', async (c) => {
  const page = await c.env.ASSETS.fetch(new URL('/admin/', c.req.url));
  if (!page.ok) return page;
  const headers = new Headers(page.headers);
  headers.set('Content-Security-Policy', ADMIN_CSP);
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Referrer-Policy', 'no-referrer');
  headers.set('X-Frame-Options', 'DENY');
  headers.set('Cache-Control', 'no-cache');
  return new Response(page.body, { status: 200, headers });
});
