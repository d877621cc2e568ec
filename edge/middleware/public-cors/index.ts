import { cors } from 'hono/cors';

/** CORS for the endpoints shop pages call. Preflights cannot carry the site (it is in the body),
 * so they are answered for any origin; each route then checks the site's allowed origins and
 * refuses (403, and no Allow-Origin) before anything is read or stored. */
export const publicCors = () =>
  cors({
    origin: (origin) => origin || null,
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type'],
    exposeHeaders: ['Retry-After'],
    maxAge: 86_400,
  });
