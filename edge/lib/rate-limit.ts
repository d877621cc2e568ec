import type { SiteSettingsT } from '../contract';
import { ApiError } from './api-error';
import type { TokenBuckets } from './token-bucket';

/** Takes `cost` from the site's bucket, or refuses with 429 and Retry-After. `what` names the
 * limit in the message (events, decisions, recommendations). */
export function enforceSiteRate(buckets: TokenBuckets, site: SiteSettingsT, cost: number, what: string): void {
  const limit = buckets.take(site.id, cost, { perSecond: site.rate.events_per_second, burst: site.rate.burst });
  if (!limit.ok) {
    throw new ApiError(429, 'rate_limited', `Site "${site.id}" is over its ${what} rate. Retry after ${limit.retryAfterSeconds} s.`, {
      'Retry-After': String(limit.retryAfterSeconds),
    });
  }
}
