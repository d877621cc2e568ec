/** Token buckets per key, in this isolate. Cloudflare runs many isolates, so a site's real
 * ceiling is this rate times the isolates serving it: a guard against floods, not billing. */
export interface BucketRate {
  perSecond: number;
  burst: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes `cost` tokens, or returns how many seconds to wait before that many are there. */
  take(key: string, cost: number, rate: BucketRate, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const bucket = this.buckets.get(key) ?? { tokens: rate.burst, at: now };
    const refilled = Math.min(rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * rate.perSecond);
    if (refilled >= cost) {
      this.buckets.set(key, { tokens: refilled - cost, at: now });
      return { ok: true };
    }
    this.buckets.set(key, { tokens: refilled, at: now });
    const needed = Math.min(cost, rate.burst) - refilled;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(needed / rate.perSecond)) };
  }
}
