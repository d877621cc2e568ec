import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../lib/api-error';
import { sha256Hex, timingSafeEqualText } from '../../lib/crypto';
import type { AppEnv } from '../../env';
import { getSite } from '../../sites/site-registry';

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

const unauthorized = () =>
  new ApiError(401, 'unauthorized', 'Send the site\'s admin token as "Authorization: Bearer <token>".', {
    'WWW-Authenticate': 'Bearer realm="touchpoint-admin"',
  });

const isOperator = async (token: string, operator: string | undefined) => !!operator && timingSafeEqualText(await sha256Hex(token), await sha256Hex(operator));

/** Opens what belongs to no one site (the deployment's own, e.g. GET /v1/admin/dead-letters) to
 * the operator token (env ADMIN_TOKEN) alone. */
export const requireOperator = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header('Authorization'));
  if (!token || !(await isOperator(token, c.env.ADMIN_TOKEN))) throw unauthorized();
  c.set('adminRole', 'operator');
  return next();
});

/** Opens `/v1/admin/sites/:site/*` to the operator token (env ADMIN_TOKEN) or to that site's own
 * token. Tokens are compared as SHA-256 digests in constant time; a site's token opens no other site. */
export const requireSiteAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header('Authorization'));
  if (!token) throw unauthorized();
  if (await isOperator(token, c.env.ADMIN_TOKEN)) {
    c.set('adminRole', 'operator');
    return next();
  }
  const digest = await sha256Hex(token);
  const site = await getSite(c.env.KV, c.req.param('site') ?? '');
  if (site?.admin_token_sha256 && timingSafeEqualText(digest, site.admin_token_sha256)) {
    c.set('adminRole', 'site');
    return next();
  }
  throw unauthorized();
});
