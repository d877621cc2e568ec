import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { deliverReviewWebhooks } from '../../edge/reviews/webhook-delivery';
import { createSite } from './helpers';
import { admin, collect, event, rows, shopper } from './shop-helpers';

type Settings = { reviews_url: string | null; handoff_url: string | null; secret: string };
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
    expect(first.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const second = (await (await putWebhooks(site, { reviews_url: 'https://shop.example/v2' })).json()) as Settings;
    expect(second).toEqual({ reviews_url: 'https://shop.example/v2', handoff_url: null, secret: first.secret });
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

describe('review delivery', () => {
  it('marks reviews of a site without a webhook as not to be sent', async () => {
    const site = await createSite();
    await collect(site.id, [review('mug', 5)]);
    expect(await webhookState(site.id)).toMatchObject([{ webhook_state: 'none', webhook_attempts: 0 }]);
  });

  // (workerd logs each refused connection as "Network connection lost"; the sender catches it.)
  it('queues a review into the webhook outbox, which retries a failing receiver', async () => {
    const site = await createSite();
    await putWebhooks(site, { reviews_url: UNREACHABLE });
    const before = Date.now();
    await collect(site.id, [review('mug', 5)]); // queued and first tried in collect's waitUntil
    expect(await webhookState(site.id)).toMatchObject([{ webhook_state: 'queued' }]);
    const [delivery] = await rows<{ topic: string; state: string; attempts: number; next_at: number; last_error: string }>(
      'SELECT topic, state, attempts, next_at, last_error FROM webhook_deliveries WHERE site = ?',
      site.id,
    );
    expect(delivery).toMatchObject({ topic: 'review', state: 'pending', attempts: 1 });
    expect(delivery!.last_error).toMatch(/Error/);
    expect(delivery!.next_at - before).toBeGreaterThanOrEqual(30_000);
    // Not due yet: nothing is tried.
    expect(await deliverReviewWebhooks(env, site.id, before + 1000)).toEqual({ sent: 0, failed: 0, held: 0 });
  });

  it('sends a review changed while its delivery was failing as a new delivery, after the older version', async () => {
    const site = await createSite();
    await putWebhooks(site, { reviews_url: UNREACHABLE });
    const who = shopper();
    await collect(site.id, [event(who, 'review_submit', { item_id: 'mug', rating: 2 })]);
    await collect(site.id, [event(who, 'review_submit', { item_id: 'mug', rating: 4 })]);
    expect(await rows('SELECT rating, webhook_state FROM reviews WHERE site = ?', site.id)).toEqual([{ rating: 4, webhook_state: 'queued' }]);
    const deliveries = await rows<{ seq: number; body: string; attempts: number }>('SELECT seq, body, attempts FROM webhook_deliveries WHERE site = ? ORDER BY seq', site.id);
    expect(deliveries.map((d) => (JSON.parse(d.body) as { review: { rating: number } }).review.rating)).toEqual([2, 4]);
    // The newer version waits behind the older one (one shopper's deliveries keep their order).
    expect(deliveries.map((d) => d.attempts)).toEqual([1, 0]);
  });
});
