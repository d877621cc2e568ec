import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { CONFIG_CACHE_MS, getSiteConfig } from '../../edge/config/config-store';

// An isolate re-reads a site's config from KV once per CONFIG_CACHE_MS, but parses it with zod
// again only when the stored text changed: that parse of a config with dozens of campaigns held
// the thread every decision shares for milliseconds, once per TTL.

const stored = (version: number, name: string) =>
  JSON.stringify({
    info: { version, updated_at: 1_780_000_000_000 + version, role: 'operator', actor: null, note: null },
    config: { campaigns: [{ id: 'signup', name, template: 'signup_benefit' }] },
  });

describe('the isolate cache of a site config', () => {
  it('keeps the parsed config while the stored text is the same, and parses a changed one', async () => {
    const site = 'config-cache-a';
    await env.KV.put(`config:${site}`, stored(1, 'First'));
    const first = await getSiteConfig(env.KV, site, 0);
    expect(first.config.campaigns[0]!.name).toBe('First');

    // Expired, reloaded while the caller waits: same text, the same parsed object.
    expect(await getSiteConfig(env.KV, site, 3 * CONFIG_CACHE_MS)).toBe(first);
    // Just expired, refreshed in the background (waitUntil): still the same object.
    const deferred: Promise<unknown>[] = [];
    expect(await getSiteConfig(env.KV, site, 4 * CONFIG_CACHE_MS + 1, (work) => deferred.push(work))).toBe(first);
    expect(deferred).toHaveLength(1);
    await Promise.all(deferred);

    // Another isolate saved a new version: this one parses it at its next reload.
    await env.KV.put(`config:${site}`, stored(2, 'Second'));
    expect(await getSiteConfig(env.KV, site, 5 * CONFIG_CACHE_MS)).toBe(first);
    const second = await getSiteConfig(env.KV, site, 7 * CONFIG_CACHE_MS);
    expect(second).not.toBe(first);
    expect(second.info.version).toBe(2);
    expect(second.config.campaigns[0]!.name).toBe('Second');
  });

  it('keeps the parsed default journey of a site that never saved one, until one is saved', async () => {
    const site = 'config-cache-b';
    const first = await getSiteConfig(env.KV, site, 0);
    expect(first.info.version).toBe(0);
    expect(first.config.campaigns.length).toBeGreaterThan(0);
    expect(await getSiteConfig(env.KV, site, 3 * CONFIG_CACHE_MS)).toBe(first);
    await env.KV.put(`config:${site}`, stored(1, 'Saved'));
    const saved = await getSiteConfig(env.KV, site, 6 * CONFIG_CACHE_MS);
    expect(saved.config.campaigns.map((c) => c.name)).toEqual(['Saved']);
  });
});
