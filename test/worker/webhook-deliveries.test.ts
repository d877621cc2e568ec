// The webhook outbox in workerd against a real HTTP receiver on loopback (test/support/webhook-receiver.ts):
// Standard Webhooks signatures a shop verifies with the reference library, retries with backoff,
// order per shopper through hours of downtime, none twice, quiet hours, the log and replay.
import { env } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { describe, expect, inject, it } from 'vitest';
import { enqueueStatements, RETRY_BACKOFF_MS, type NewDelivery } from '../../edge/handoff/deliveries';
import { checkWebhookUrl } from '../../edge/handoff/destination';
import { sendDueDeliveries } from '../../edge/handoff/send';
import { standardWebhookHeaders } from '../../edge/handoff/standard-webhooks';
import { createSite } from './helpers';
import { admin, collect, event, rows, shopper } from './shop-helpers';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  status: number;
}

const receiver = () => inject('receiverUrl');
const received = async (path: string): Promise<Received[]> => (await fetch(`${receiver()}/received?path=${encodeURIComponent(path)}`)).json();
const setDown = (path: string, down: boolean) => fetch(`${receiver()}/control`, { method: 'POST', body: JSON.stringify({ path, down }) });
const uniquePath = (kind: 'ok' | 'fail') => `/${kind}/${crypto.randomUUID()}`;

type Site = { id: string; token: string };
async function webhooks(site: Site, body: Record<string, unknown>): Promise<{ secret: string; reviews_url: string | null; handoff_url: string | null }> {
  const response = await admin(site.token, `/v1/admin/sites/${site.id}/webhooks`, { method: 'PUT', body: JSON.stringify({ reviews_url: null, ...body }) });
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json();
}

async function enqueue(site: string, deliveries: Omit<NewDelivery, 'notBefore' | 'topic' | 'advertising'>[], now: number, extra: Partial<NewDelivery> = {}) {
  await env.DB.batch(enqueueStatements(env.DB, site, deliveries.map((d) => ({ topic: 'cart_abandoned', advertising: false, notBefore: now, ...d, ...extra })), now));
}

/** When the cron next finds something to send: the earliest due time among each shopper's oldest pending delivery. */
async function nextDue(site: string): Promise<number> {
  const row = await env.DB.prepare(
    `SELECT min(next_at) AS t FROM webhook_deliveries d WHERE site = ?1 AND state = 'pending'
       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.site = d.site AND e.shopper = d.shopper AND e.state = 'pending' AND e.seq < d.seq)`,
  )
    .bind(site)
    .first<{ t: number | null }>();
  return row?.t ?? 0;
}

describe('Standard Webhooks signing', () => {
  it("matches the specification's test vector", async () => {
    const headers = await standardWebhookHeaders('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', '{"test": 2432232314}', 1614265330);
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });
});

describe('webhook destinations', () => {
  it.each([
    ['http://shop.example/hooks', 'must use https'],
    ['https://10.1.2.3/hooks', 'private'],
    ['https://192.168.0.10/hooks', 'private'],
    ['https://172.20.0.1/hooks', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'private'],
    ['https://[::1]/hooks', 'private'],
    ['https://[fd00::1]/hooks', 'private'],
    ['https://printer.local/hooks', 'private'],
    ['https://intranet/hooks', 'private'],
    ['https://user:pw@shop.example/hooks', 'user name'],
    ['http://127.0.0.1:8080/hooks', 'https'],
  ])('refuses %s outside development', (url, reason) => {
    const check = checkWebhookUrl(url, false);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toContain(reason);
  });

  it('takes a public https URL, and localhost only in development', () => {
    expect(checkWebhookUrl('https://hooks.shop.example/touchpoint', false)).toEqual({ ok: true, url: 'https://hooks.shop.example/touchpoint' });
    expect(checkWebhookUrl('http://127.0.0.1:8080/hooks', true).ok).toBe(true);
    expect(checkWebhookUrl('http://10.0.0.1/hooks', true).ok).toBe(false);
  });

  it('refuses a private address in the settings, with the field and the reason, and stores nothing', async () => {
    const site = await createSite();
    const response = await admin(site.token, `/v1/admin/sites/${site.id}/webhooks`, {
      method: 'PUT',
      body: JSON.stringify({ reviews_url: null, handoff_url: 'https://192.168.1.20/alimtalk' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'invalid_webhooks', message: 'handoff_url: must point at a public address, not a private or local one' } });
    expect(await env.KV.get(`webhook:${site.id}`)).toBeNull();
  });
});

describe('webhook outbox', () => {
  it('delivers a review signed so that the reference library verifies it, and logs it', async () => {
    const site = await createSite();
    const path = uniquePath('ok');
    const { secret } = await webhooks(site, { reviews_url: `${receiver()}${path}` });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const who = shopper();
    await collect(site.id, [event(who, 'review_submit', { item_id: 'mug', rating: 5, text: '좋아요 <b>정말</b>' })]);
    const [got, ...more] = await received(path);
    expect(more).toEqual([]);
    expect(got!.status).toBe(204);
    const verified = new Webhook(secret).verify(got!.body, got!.headers) as { type: string; review: { text: string; rating: number } };
    expect(verified).toMatchObject({ type: 'review', review: { rating: 5, text: '좋아요 <b>정말</b>' } });
    expect(() => new Webhook(secret).verify(got!.body.replace('"rating":5', '"rating":1'), got!.headers)).toThrow();
    const log = (await (await admin(site.token, `/v1/admin/sites/${site.id}/deliveries`)).json()) as { deliveries: { id: string; topic: string; state: string; attempts: number; last_status: number }[] };
    expect(log.deliveries).toMatchObject([{ id: got!.headers['webhook-id'], topic: 'review', state: 'sent', attempts: 1, last_status: 204 }]);
    expect(await rows('SELECT webhook_state FROM reviews WHERE site = ?', site.id)).toEqual([{ webhook_state: 'queued' }]);
  });

  it('stores a delivery once however often it is queued', async () => {
    const site = await createSite();
    const now = Date.now();
    await enqueue(site.id, [{ id: 'd-1', shopper: 'v-1', body: '{"n":1}' }], now);
    await enqueue(site.id, [{ id: 'd-1', shopper: 'v-1', body: '{"n":1}' }], now);
    expect(await rows('SELECT id, seq, state FROM webhook_deliveries WHERE site = ?', site.id)).toEqual([{ id: 'd-1', seq: 1, state: 'pending' }]);
  });

  it('retries with growing waits, then gives up; a replay sends it again under the same id', async () => {
    const site = await createSite();
    const path = uniquePath('fail');
    await webhooks(site, { handoff_url: `${receiver()}${path}` });
    const start = Date.now();
    await enqueue(site.id, [{ id: 'retry-1', shopper: 'v-1', body: '{"n":1}' }], start);
    let now = start;
    for (let attempt = 1; attempt <= RETRY_BACKOFF_MS.length + 1; attempt++) {
      expect(await sendDueDeliveries(env, site.id, now)).toEqual({ sent: 0, failed: 1, held: 0 });
      const [row] = await rows<{ state: string; attempts: number; next_at: number; last_status: number }>('SELECT state, attempts, next_at, last_status FROM webhook_deliveries WHERE site = ?', site.id);
      expect(row).toMatchObject({ attempts: attempt, last_status: 500, state: attempt <= RETRY_BACKOFF_MS.length ? 'pending' : 'failed' });
      if (attempt <= RETRY_BACKOFF_MS.length) {
        expect(row!.next_at).toBe(now + RETRY_BACKOFF_MS[attempt - 1]!);
        // Not due a moment earlier.
        expect(await sendDueDeliveries(env, site.id, row!.next_at - 1)).toEqual({ sent: 0, failed: 0, held: 0 });
        now = row!.next_at;
      }
    }
    expect((await received(path)).map((r) => r.headers['webhook-id'])).toEqual(Array(RETRY_BACKOFF_MS.length + 1).fill('retry-1'));
    // The shop fixed its receiver: replay every failed delivery.
    const fixed = uniquePath('ok');
    await webhooks(site, { handoff_url: `${receiver()}${fixed}` });
    const replay = await admin(site.token, `/v1/admin/sites/${site.id}/deliveries/replay`, { method: 'POST', body: '{}' });
    expect(await replay.json()).toEqual({ replayed: 1 });
    expect((await received(fixed)).map((r) => [r.headers['webhook-id'], r.status])).toEqual([['retry-1', 204]]);
  });

  it('gets everything through once a receiver that was down for hours is back: in order per shopper, none twice', async () => {
    const site = await createSite();
    const path = uniquePath('ok');
    await webhooks(site, { handoff_url: `${receiver()}${path}` });
    await setDown(path, true);
    const start = Date.now();
    const shoppers = ['v-a', 'v-b', 'v-c'];
    // Three messages per shopper, made at different times, interleaved.
    for (let n = 1; n <= 3; n++) {
      await enqueue(site.id, shoppers.map((s) => ({ id: `${s}-${n}`, shopper: s, body: JSON.stringify({ shopper: s, n }) })), start + n);
    }
    // Six hours of a receiver answering 503, with the cron running every minute it is due.
    let now = start;
    const end = start + 6 * 3_600_000;
    while (now < end) {
      await sendDueDeliveries(env, site.id, now);
      now = Math.max(now + 60_000, await nextDue(site.id));
    }
    const whileDown = await received(path);
    // Only each shopper's first message was tried; later ones waited behind it.
    expect(new Set(whileDown.map((r) => r.headers['webhook-id']))).toEqual(new Set(['v-a-1', 'v-b-1', 'v-c-1']));
    await setDown(path, false);
    for (let run = 0; run < 100 && (await rows(`SELECT 1 FROM webhook_deliveries WHERE site = ? AND state = 'pending'`, site.id)).length; run++) {
      now = Math.max(now, await nextDue(site.id));
      await sendDueDeliveries(env, site.id, now);
    }
    const taken = (await received(path)).filter((r) => r.status === 204).map((r) => r.headers['webhook-id']!);
    expect(taken.sort()).toEqual(shoppers.flatMap((s) => [1, 2, 3].map((n) => `${s}-${n}`)).sort());
    for (const s of shoppers) expect(taken.filter((id) => id.startsWith(s)).join()).toBe(`${s}-1,${s}-2,${s}-3`);
    // In arrival order, each shopper's messages came in the order they were made.
    const arrival = (await received(path)).filter((r) => r.status === 204).map((r) => r.headers['webhook-id']!);
    for (const s of shoppers) expect(arrival.filter((id) => id.startsWith(s))).toEqual([`${s}-1`, `${s}-2`, `${s}-3`]);
  });

  it('holds advertising through quiet hours (21:00–08:00 site time) without spending an attempt', async () => {
    const site = await createSite({ timezone: 'Asia/Seoul' });
    const path = uniquePath('ok');
    await webhooks(site, { handoff_url: `${receiver()}${path}` });
    const tenPmSeoul = Date.UTC(2026, 10, 29, 13); // 22:00 in Seoul
    await enqueue(site.id, [{ id: 'ad-1', shopper: 'v-1', body: '{}' }], tenPmSeoul, { advertising: true });
    await enqueue(site.id, [{ id: 'notice-1', shopper: 'v-2', body: '{}' }], tenPmSeoul);
    expect(await sendDueDeliveries(env, site.id, tenPmSeoul)).toEqual({ sent: 1, failed: 0, held: 1 });
    const eightAm = Date.UTC(2026, 10, 29, 23); // 08:00 the next day in Seoul
    expect(await rows('SELECT id, state, attempts, next_at FROM webhook_deliveries WHERE site = ? ORDER BY seq', site.id)).toEqual([
      { id: 'ad-1', state: 'pending', attempts: 0, next_at: eightAm },
      { id: 'notice-1', state: 'sent', attempts: 1, next_at: tenPmSeoul },
    ]);
    expect(await sendDueDeliveries(env, site.id, eightAm - 60_000)).toEqual({ sent: 0, failed: 0, held: 0 });
    expect(await sendDueDeliveries(env, site.id, eightAm)).toEqual({ sent: 1, failed: 0, held: 0 });
    expect((await received(path)).map((r) => r.headers['webhook-id'])).toEqual(['notice-1', 'ad-1']);
  });
});
