import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../edge/lib/ttl-cache';

/** A load that resolves when told to, counting its calls. */
function controlledLoads() {
  const pending: ((v: string) => void)[] = [];
  let calls = 0;
  return {
    load: () => {
      calls++;
      return new Promise<string>((resolve) => pending.push(resolve));
    },
    resolveNext: (v: string) => pending.shift()!(v),
    get calls() {
      return calls;
    },
  };
}

describe('TtlCache', () => {
  it('hands each load the value it replaces, which it may keep', async () => {
    const cache = new TtlCache<{ n: number }>(1000);
    const seen: ({ n: number } | undefined)[] = [];
    const keep = async (previous: { n: number } | undefined) => {
      seen.push(previous);
      return previous ?? { n: 1 };
    };
    const first = await cache.get('k', keep, 0);
    expect(await cache.get('k', keep, 3000)).toBe(first);
    const deferred: Promise<unknown>[] = [];
    expect(await cache.get('k', keep, 4500, (p) => deferred.push(p))).toBe(first);
    await Promise.all(deferred);
    expect(seen).toEqual([undefined, first, first]);
    expect(seen[1]).toBe(first);
  });

  it('answers from the cache until the TTL, then reloads (no defer: the caller waits)', async () => {
    const cache = new TtlCache<string>(1000);
    let n = 0;
    const load = async () => `v${++n}`;
    expect(await cache.get('k', load, 0)).toBe('v1');
    expect(await cache.get('k', load, 999)).toBe('v1');
    expect(await cache.get('k', load, 1000)).toBe('v2');
  });

  it('with defer, a just-expired value answers while exactly one refresh runs in the background', async () => {
    const cache = new TtlCache<string>(1000);
    expect(await cache.get('k', async () => 'old', 0)).toBe('old');
    const loads = controlledLoads();
    const deferred: Promise<unknown>[] = [];
    const defer = (p: Promise<unknown>) => deferred.push(p);
    expect(await cache.get('k', loads.load, 1500, defer)).toBe('old');
    expect(await cache.get('k', loads.load, 1600, defer)).toBe('old');
    expect(loads.calls).toBe(1);
    expect(deferred).toHaveLength(1);
    loads.resolveNext('new');
    await Promise.all(deferred);
    expect(await cache.get('k', loads.load, 1700, defer)).toBe('new');
    expect(loads.calls).toBe(1);
  });

  it('past a second TTL the stale value is not served: the caller waits for the load', async () => {
    const cache = new TtlCache<string>(1000);
    await cache.get('k', async () => 'old', 0);
    const deferred: Promise<unknown>[] = [];
    expect(await cache.get('k', async () => 'fresh', 2000, (p) => deferred.push(p))).toBe('fresh');
    expect(deferred).toHaveLength(0);
  });

  it('a delete while a refresh runs wins over what the refresh read', async () => {
    const cache = new TtlCache<string>(1000);
    await cache.get('k', async () => 'old', 0);
    const loads = controlledLoads();
    const deferred: Promise<unknown>[] = [];
    expect(await cache.get('k', loads.load, 1500, (p) => deferred.push(p))).toBe('old');
    cache.delete('k');
    loads.resolveNext('read-before-the-change');
    await Promise.all(deferred);
    expect(await cache.get('k', async () => 'after-the-change', 1600)).toBe('after-the-change');
  });

  it('a failed refresh keeps the stale value and lets the next request try again', async () => {
    const cache = new TtlCache<string>(1000);
    await cache.get('k', async () => 'old', 0);
    const deferred: Promise<unknown>[] = [];
    const defer = (p: Promise<unknown>) => deferred.push(p);
    const errors: unknown[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      expect(await cache.get('k', () => Promise.reject(new Error('KV down')), 1200, defer)).toBe('old');
      await Promise.all(deferred);
    } finally {
      console.error = originalError;
    }
    expect(errors).toHaveLength(1);
    expect(await cache.get('k', async () => 'recovered', 1300, defer)).toBe('old');
    await Promise.all(deferred);
    expect(await cache.get('k', async () => 'unused', 1400, defer)).toBe('recovered');
  });
});
