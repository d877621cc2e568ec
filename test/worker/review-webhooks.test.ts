import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hmacSha256Hex } from '../../edge/lib/crypto';
import { deliverReviewWebhooks } from '../../edge/reviews/webhook-delivery';
import { signatureFor } from '../../edge/reviews/webhook-sender';
import { createSite } from './helpers';
import { admin, collect, event, rows, shopper } from './shop-helpers';

type Settings = { reviews_url: string | null; secret: string };
const putWebhooks = (site: { id: string; token: string }, body: unknown) =>
  admin(site.token, `/v1/admin/sites/${site.id}/webhooks`, { method: 'PUT', body: JSON.stringify(body) });
const review = (item_id: string, rating: number) => event(shopper(), 'review_submit', { item_id, rating, text: 'nice' });
const webhookState = (site: string) =>
  rows<{ webhook_state: string; webhook_attempts: number; webhook_next_at: number; webhook_error: string | null }>(
    'SELECT webhook_state, webhook_attempts, webhook_next_at, webhook_error FROM reviews WHERE site = ?',
    site,
  );

// Nothing listens on the discard port: every delivery there fails fast.
const UNREACHABLE = 'http://127.0.0.1:9/hooks/reviews';

describe('review webhook settings', () => {
  it('issues a secret once, keeps it on later changes, and rotates it on request', async () => {
    const site = await createSite();
    const first = (await (await putWebhooks(site, { reviews_url: 'https://shop.example/hooks/reviews' })).json()) as Settings;
    expect(first.reviews_url).toBe('https://shop.example/hooks/reviews');
    expect(first.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    const second = (await (await putWebhooks(site, { reviews_url: 'https://shop.example/v2' })).json()) as Settings;
    expect(second).toEqual({ reviews_url: 'https://shop.example/v2', secret: first.secret });
    const rotated = (await (await putWebhooks(site, { reviews_url: 'https://shop.example/v2', rotate_secret: true })).json()) as Settings;
    expect(rotated.secret).not.toBe(first.secret);
    expect(await (await admin(site.token, `/v1/admin/sites/${site.id}/webhooks`)).json()).toEqual(rotated);
    expect(JSON.parse((await env.KV.get(`webhook:${site.id}`))!)).toEqual(rotated);
  });

  it.each([[{ reviews_url: 'javascript:alert(1)' }], [{ reviews_url: 'ftp://shop.example/x' }], [{}]])('refuses %o', async (body) => {
    const site = await createSite();
    const response = await putWebhooks(site, body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_webhooks');
    expect(await env.KV.get(`webhook:${site.id}`)).toBeNull();
  });

  it('needs the site\'s token', async () => {
    const site = await createSite();
    const other = await createSite();
    expect((await admin(other.token, `/v1/admin/sites/${site.id}/webhooks`, { method: 'PUT', body: JSON.stringify({ reviews_url: 'https://evil.example' }) })).status).toBe(401);
  });
});

describe('signing', () => {
  it('is HMAC-SHA256 (RFC 4231 style vector) over "<t>.<body>"', async () => {
    expect(await hmacSha256Hex('key', 'The quick brown fox jumps over the lazy dog')).toBe('f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
    const body = '{"type":"review"}';
    expect(await signatureFor('whsec_test', body, 1_700_000_000)).toBe(`t=1700000000,v1=${await hmacSha256Hex('whsec_test', `1700000000.${body}`)}`);
  });
});

describe('review delivery', () => {
  it('marks reviews of a site without a webhook as not to be sent', async () => {
    const site = await createSite();
    await collect(site.id, [review('mug', 5)]);
    expect(await webhookState(site.id)).toMatchObject([{ webhook_state: 'none', webhook_attempts: 0 }]);
  });

  // (workerd logs each refused connection as "Network connection lost"; the sender catches it.)
  it('retries a failing receiver with growing waits, then gives up', async () => {
    const site = await createSite();
    await putWebhooks(site, { reviews_url: UNREACHABLE });
    const before = Date.now();
    await collect(site.id, [review('mug', 5)]); // the first attempt runs in collect's waitUntil
    const [first] = await webhookState(site.id);
    expect(first).toMatchObject({ webhook_state: 'pending', webhook_attempts: 1 });
    expect(first!.webhook_error).toMatch(/Error/);
    expect(first!.webhook_next_at - before).toBeGreaterThanOrEqual(60_000);
    // Not due yet: nothing is tried.
    expect(await deliverReviewWebhooks(env, site.id, before + 1000)).toEqual({ sent: 0, failed: 0 });
    // The third attempt fails too and waits 30 minutes.
    await env.DB.prepare('UPDATE reviews SET webhook_attempts = 2 WHERE site = ?').bind(site.id).run();
    const now = first!.webhook_next_at;
    expect(await deliverReviewWebhooks(env, site.id, now)).toEqual({ sent: 0, failed: 1 });
    expect(await webhookState(site.id)).toMatchObject([{ webhook_state: 'pending', webhook_attempts: 3, webhook_next_at: now + 1_800_000 }]);
    // The sixth is the last.
    await env.DB.prepare('UPDATE reviews SET webhook_attempts = 5 WHERE site = ?').bind(site.id).run();
    expect(await deliverReviewWebhooks(env, site.id, now + 1_800_000)).toEqual({ sent: 0, failed: 1 });
    expect(await webhookState(site.id)).toMatchObject([{ webhook_state: 'failed', webhook_attempts: 6 }]);
    expect(await deliverReviewWebhooks(env, site.id, now + 100 * 86_400_000)).toEqual({ sent: 0, failed: 0 });
  });

  it('puts a review changed mid-delivery back in line, so the newer version is the one sent', async () => {
    const site = await createSite();
    await putWebhooks(site, { reviews_url: UNREACHABLE });
    const who = shopper();
    await collect(site.id, [event(who, 'review_submit', { item_id: 'mug', rating: 2 })]);
    // Another runner holds a claim on it when the shopper changes the review.
    await env.DB.prepare("UPDATE reviews SET webhook_claim = 'other-runner', webhook_attempts = 3 WHERE site = ?").bind(site.id).run();
    await collect(site.id, [event(who, 'review_submit', { item_id: 'mug', rating: 4 })]);
    // The claim is gone (the other runner's outcome will not match), and the new version had its own first try.
    expect(await rows('SELECT rating, webhook_state, webhook_attempts, webhook_claim FROM reviews WHERE site = ?', site.id)).toEqual([
      { rating: 4, webhook_state: 'pending', webhook_attempts: 1, webhook_claim: null },
    ]);
  });
});
