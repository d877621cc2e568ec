import type { AppContext } from '../env';

/** Header that moves the worker's clock, honoured only where CLOCK_OVERRIDE is "allow" (tests
 * and local journeys, where days must pass for lifecycle stages to change). Never set in
 * production: a shopper could otherwise step past caps and cooldowns. */
export const CLOCK_HEADER = 'X-Touchpoint-Now';

/** "Now" for this request, in epoch ms. */
export function requestTime(c: AppContext): number {
  if (c.env.CLOCK_OVERRIDE === 'allow') {
    const value = c.req.header(CLOCK_HEADER);
    if (value && /^\d{13}$/.test(value)) return Number(value);
  }
  return Date.now();
}
