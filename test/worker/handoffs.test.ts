// Hand-offs to the shop's messaging in workerd: members entering each audience are handed to a
// real receiver on loopback once, with holdout, consent, the per-member cap and idempotent reruns.
import { env } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { describe, expect, inject, it } from 'vitest';
import type { HandoffWebhookBody } from '../../edge/contract';
import { archiveSite } from '../../edge/archive/cron';
import { hashedIntoControl } from '../../edge/decide/control-group';
import { sendDueDeliveries } from '../../edge/handoff/send';
import { sweepHandoffs } from '../../edge/handoff/sweep';
import { OPERATOR_TOKEN, send } from './helpers';
import { admin, rows } from './shop-helpers';
import { atShopHour, DAY, HOUR, serverEvents, Shopper, siteWith } from './shopper';

const receiver = () => inject('receiverUrl');
interface Received { path: string; headers: Record<string, string>; body: string; status: number }
const received = async (path: string): Promise<Received[]> => (await fetch(`${receiver()}/received?path=${encodeURIComponent(path)}`)).json();
const MINUTE = 60_000;

type Site = { id: string; token: string };
async function handoffSite(handoffs: Record<string, unknown>[], rest: Record<string, unknown> = {}) {
  const site = await siteWith({ campaigns: [], handoffs, ...rest });
  const path = `/ok/${crypto.randomUUID()}`;
  const response = await admin(site.token, `/v1/admin/sites/${site.id}/webhooks`, { method: 'PUT', body: JSON.stringify({ reviews_url: null, handoff_url: `${receiver()}${path}` }) });
  const { secret } = (await response.json()) as { secret: string };
  return { site, path, secret };
}

/** The cron: sweep, then send what is due. */
async function cron(site: Site, now: number) {
  const swept = await sweepHandoffs(env, site.id, now);
  await sendDueDeliveries(env, site.id, now);
  return swept;
}

const members = (site: string) => rows<{ handoff: string; visitor_id: string; grp: string }>('SELECT handoff, visitor_id, grp FROM handoff_members WHERE site = ? ORDER BY moment_at, visitor_id', site);

describe('hand-offs', () => {
  it('hands a member whose cart was left for an hour to the shop, once, signed, with the cart', async () => {
    const { site, path, secret } = await handoffSite([{ id: 'cart-1h', name: 'Cart left', trigger: { kind: 'cart_abandoned', after_minutes: 60 }, holdout_percent: 0 }]);
    const start = atShopHour(10);
    await cron(site, start); // the hand-off starts looking from here
    const s = new Shopper(site.id, start);
    await s.identify('m-1001');
    await s.track('consent_update', { analytics: true, marketing: true });
    await s.track('add_to_cart', { currency: 'KRW', value: 24000, items: [{ item_id: 'k-mug', item_name: '머그컵', price: 12000, quantity: 2 }] });
    // A guest's cart is not handed off: there is no one to write to.
    const guest = new Shopper(site.id, start);
    await guest.track('add_to_cart', { currency: 'KRW', items: [{ item_id: 'k-mug', price: 12000, quantity: 1 }] });

    expect(await cron(site, start + 30 * MINUTE)).toEqual({ moments: 0, sent: 0 });
    expect(await cron(site, start + 61 * MINUTE)).toEqual({ moments: 1, sent: 1 });
    expect(await cron(site, start + 62 * MINUTE)).toEqual({ moments: 0, sent: 0 });
    const got = await received(path);
    expect(got).toHaveLength(1);
    // Signed at the test's moved clock: check the signature with the reference library's own signer
    // (verify() would refuse the timestamp as being in the future).
    const h = got[0]!.headers;
    expect(new Webhook(secret).sign(h['webhook-id']!, new Date(Number(h['webhook-timestamp']) * 1000), got[0]!.body)).toBe(h['webhook-signature']);
    expect(Number(h['webhook-timestamp'])).toBe(Math.floor((start + 61 * MINUTE) / 1000));
    const body = JSON.parse(got[0]!.body) as HandoffWebhookBody;
    expect(body).toMatchObject({
      type: 'handoff',
      id: got[0]!.headers['webhook-id'],
      site: site.id,
      handoff: { id: 'cart-1h', kind: 'cart_abandoned', advertising: true },
      member: { user_id: 'm-1001', marketing_consent: true },
      data: { cart_value: 24000, cart: [{ item_id: 'k-mug', quantity: 2 }] },
    });
    expect(await members(site.id)).toEqual([{ handoff: 'cart-1h', visitor_id: 'u:m-1001', grp: 'sent' }]);
  });

  it('does not hand off a cart that was bought', async () => {
    const { site } = await handoffSite([{ id: 'cart-1h', trigger: { kind: 'cart_abandoned', after_minutes: 60 }, holdout_percent: 0, advertising: false }]);
    const start = atShopHour(10);
    await cron(site, start);
    const s = new Shopper(site.id, start);
    await s.identify('m-2001');
    await s.track('add_to_cart', { currency: 'KRW', items: [{ item_id: 'k-mug', price: 12000, quantity: 1 }] });
    await s.advance(10 * MINUTE).track('purchase', { transaction_id: 'T-1', currency: 'KRW', value: 12000, items: [{ item_id: 'k-mug', price: 12000, quantity: 1 }] });
    expect(await cron(site, start + 2 * HOUR)).toEqual({ moments: 0, sent: 0 });
  });

  it('holds out its share, asks advertising for consent, and caps hand-offs per member', async () => {
    const { site } = await handoffSite(
      [
        { id: 'cart-1h', trigger: { kind: 'cart_abandoned', after_minutes: 60 }, holdout_percent: 30 },
        { id: 'coupon-3d', trigger: { kind: 'benefit_expiring', days_before: 3 }, holdout_percent: 0 },
      ],
      { handoff_caps: { per_shopper: 1, days: 7 } },
    );
    const start = atShopHour(10);
    await cron(site, start);
    const shoppers: Shopper[] = [];
    for (let i = 0; i < 60; i++) {
      const s = new Shopper(site.id, start);
      await s.identify(`m-3${String(i).padStart(3, '0')}`);
      if (i % 10 !== 0) await s.track('consent_update', { analytics: true, marketing: true });
      await s.track('add_to_cart', { currency: 'KRW', items: [{ item_id: 'k-mug', price: 12000, quantity: 1 }] });
      shoppers.push(s);
    }
    // Every member also has a coupon that expires in 3 days and an hour and a half.
    const issued = await serverEvents(site.id, start, shoppers.map((s) => ({ name: 'coupon_issued', user_id: s.user, props: { code: 'WELCOME10', benefit: '10%', expires_at: start + 3 * DAY + 90 * MINUTE } })));
    expect(issued.body.rejected).toEqual([]);
    await cron(site, start + 61 * MINUTE); // the carts
    await cron(site, start + 2 * HOUR); // the coupons
    const all = await members(site.id);
    const carts = all.filter((m) => m.handoff === 'cart-1h');
    const coupons = all.filter((m) => m.handoff === 'coupon-3d');
    expect(carts).toHaveLength(60);
    expect(coupons).toHaveLength(60);
    const held = carts.filter((m) => m.grp === 'holdout').length;
    expect(held).toBeGreaterThanOrEqual(8);
    expect(held).toBeLessThanOrEqual(30);
    // One in ten never gave marketing consent: held out or not handed off, never sent.
    for (const m of carts) {
      const noConsent = Number(m.visitor_id.slice(-3)) % 10 === 0;
      if (noConsent) expect(['holdout', 'no_consent']).toContain(m.grp);
      else expect(['holdout', 'sent']).toContain(m.grp);
    }
    expect(carts.some((m) => m.grp === 'no_consent')).toBe(true);
    // Members whose cart went out have used their one hand-off this week: their coupon is capped.
    const cartSent = new Set(carts.filter((m) => m.grp === 'sent').map((m) => m.visitor_id));
    for (const m of coupons) {
      if (cartSent.has(m.visitor_id)) expect(m.grp).toBe('capped');
      else expect(['sent', 'no_consent']).toContain(m.grp);
    }
    const deliveries = await rows<{ topic: string; n: number }>('SELECT topic, count(*) AS n FROM webhook_deliveries WHERE site = ? GROUP BY topic ORDER BY topic', site.id);
    expect(deliveries).toEqual([
      { topic: 'cart-1h', n: cartSent.size },
      { topic: 'coupon-3d', n: coupons.filter((m) => m.grp === 'sent').length },
    ]);
  });

  it('hands nothing off twice when two sweeps run over the same minutes', async () => {
    const { site, path } = await handoffSite([{ id: 'cart-1h', trigger: { kind: 'cart_abandoned', after_minutes: 60 }, holdout_percent: 0, advertising: false }]);
    const start = atShopHour(10);
    await cron(site, start);
    for (let i = 0; i < 5; i++) {
      const s = new Shopper(site.id, start);
      await s.identify(`m-4${i}`);
      await s.track('add_to_cart', { currency: 'KRW', items: [{ item_id: 'k-mug', price: 12000, quantity: 1 }] });
    }
    const [a, b] = await Promise.all([sweepHandoffs(env, site.id, start + 61 * MINUTE), sweepHandoffs(env, site.id, start + 61 * MINUTE)]);
    expect(a.moments + b.moments).toBeGreaterThanOrEqual(5);
    await sendDueDeliveries(env, site.id, start + 61 * MINUTE);
    await cron(site, start + 70 * MINUTE);
    const ids = (await received(path)).map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
  });

  it('sends the dormancy notice 7 days ahead, without consent and in quiet hours, being a notice', async () => {
    const { site, path } = await handoffSite([{ id: 'dormant-7d', trigger: { kind: 'dormant_soon', days_before: 7 }, advertising: false, holdout_percent: 0 }], {
      stages: { dormant_days: 180 },
    });
    const start = atShopHour(23);
    await cron(site, start);
    const s = new Shopper(site.id, start);
    await s.identify('m-5001');
    expect(await cron(site, start + 172 * DAY)).toEqual({ moments: 0, sent: 0 });
    expect(await cron(site, start + 173 * DAY + HOUR)).toEqual({ moments: 1, sent: 1 });
    const [got] = await received(path);
    expect(JSON.parse(got!.body)).toMatchObject({ handoff: { kind: 'dormant_soon', advertising: false }, member: { user_id: 'm-5001', marketing_consent: false } });
  });

  it('refuses a config with two hand-offs of one id, by path, and keeps the current one', async () => {
    const { site } = await handoffSite([{ id: 'cart-1h', trigger: { kind: 'cart_abandoned' } }]);
    const response = await admin(site.token, `/v1/admin/sites/${site.id}/config`, {
      method: 'PUT',
      body: JSON.stringify({ campaigns: [], handoffs: [{ id: 'a', trigger: { kind: 'at_risk' } }, { id: 'a', trigger: { kind: 'cart_abandoned', after_minutes: 5 } }] }),
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain('handoffs[1].id');
    expect(text).toContain('handoffs[1].trigger.after_minutes');
    const current = (await (await admin(site.token, `/v1/admin/sites/${site.id}/config`)).json()) as { config: { handoffs: { id: string }[] } };
    expect(current.config.handoffs.map((h) => h.id)).toEqual(['cart-1h']);
  });
});

describe('hand-off results', () => {
  it('reports what the message earned: orders within the window after entering, sent against held out', async () => {
    const { site } = await handoffSite([{ id: 'cart-1h', name: '장바구니', trigger: { kind: 'cart_abandoned', after_minutes: 60 }, holdout_percent: 50, advertising: false, conversion_days: 7 }]);
    const start = atShopHour(10) - 3 * DAY;
    await cron(site, start);
    const shoppers: Shopper[] = [];
    for (let i = 0; i < 40; i++) {
      const s = new Shopper(site.id, start);
      await s.identify(`m-6${String(i).padStart(3, '0')}`);
      await s.track('add_to_cart', { currency: 'KRW', items: [{ item_id: 'k-mug', price: 10000, quantity: 1 }] });
      shoppers.push(s);
    }
    await cron(site, start + 61 * MINUTE);
    const groups = new Map((await members(site.id)).map((m) => [m.visitor_id, m.grp]));
    // A day later, every handed-off member and one held-out member in four buy.
    let sentBuyers = 0;
    let heldBuyers = 0;
    let heldSeen = 0;
    for (const [i, s] of shoppers.entries()) {
      const grp = groups.get(`u:${s.user}`);
      const buys = grp === 'sent' || (grp === 'holdout' && heldSeen++ % 4 === 0);
      if (!buys) continue;
      if (grp === 'sent') sentBuyers++;
      else heldBuyers++;
      await s.advance(DAY).track('purchase', { transaction_id: `T-6${i}`, currency: 'KRW', value: 10000, items: [{ item_id: 'k-mug', price: 10000, quantity: 1 }] });
      // The first sent buyer gets 4,000 back: the message earned what the shop kept.
      if (grp === 'sent' && sentBuyers === 1) await s.advance(HOUR).track('refund', { transaction_id: `T-6${i}`, value: 4000, currency: 'KRW' });
    }
    const response = await admin(site.token, `/v1/admin/sites/${site.id}/report`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as { handoffs: { handoff: string; name: string; kind: string; sent: { members: number; conversions: number; revenue: number }; holdout: { members: number; conversions: number }; lift: { difference: number } }[] };
    const sentMembers = [...groups.values()].filter((g) => g === 'sent').length;
    expect(report.handoffs).toMatchObject([
      {
        handoff: 'cart-1h',
        name: '장바구니',
        kind: 'cart_abandoned',
        sent: { members: sentMembers, conversions: sentBuyers, revenue: sentBuyers * 10000 - 4000 },
        holdout: { members: 40 - sentMembers, conversions: heldBuyers },
      },
    ]);
    expect(report.handoffs[0]!.lift.difference).toBeCloseTo(1 - heldBuyers / (40 - sentMembers), 10);
  });
});

describe('hand-off audiences to take away', () => {
  it('lists who entered, in which group, with their consent now and the delivery, as JSON and CSV', async () => {
    const { site } = await handoffSite([{ id: 'cart-1h', trigger: { kind: 'cart_abandoned', after_minutes: 60 }, holdout_percent: 0 }]);
    const start = atShopHour(10) - DAY;
    await cron(site, start);
    const yes = new Shopper(site.id, start);
    await yes.identify('m-7001');
    await yes.track('consent_update', { analytics: true, marketing: true });
    await yes.track('add_to_cart', { currency: 'KRW', items: [{ item_id: 'k-mug', price: 12000, quantity: 1 }] });
    const no = new Shopper(site.id, start);
    await no.identify('m-7002');
    await no.track('add_to_cart', { currency: 'KRW', items: [{ item_id: 'k-mug', price: 12000, quantity: 1 }] });
    await cron(site, start + 61 * MINUTE);
    const json = (await (await admin(site.token, `/v1/admin/sites/${site.id}/handoffs/cart-1h.json`)).json()) as Record<string, unknown>;
    expect(json).toMatchObject({
      handoff: 'cart-1h',
      counts: { sent: 1, no_consent: 1 },
      members: [
        { user_id: 'm-7001', group: 'sent', marketing_consent: true, delivery: 'sent' },
        { user_id: 'm-7002', group: 'no_consent', marketing_consent: false, delivery: null },
      ],
    });
    const csv = await (await admin(site.token, `/v1/admin/sites/${site.id}/handoffs/cart-1h.csv`)).text();
    const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('user_id,entered_at,group,marketing_consent,delivery');
    expect(lines.slice(1).map((l) => l.split(',').filter((_, i) => i !== 1).join(','))).toEqual(['m-7001,sent,yes,sent', 'm-7002,no_consent,no,']);
    expect((await admin(site.token, `/v1/admin/sites/${site.id}/handoffs/nope.csv`)).status).toBe(404);
  });

  it('lets sent deliveries leave D1 with the hot window, keeps failed ones, and still says the member was sent', async () => {
    const { site } = await handoffSite([{ id: 'cart-1h', trigger: { kind: 'cart_abandoned', after_minutes: 60 }, holdout_percent: 0, advertising: false }]);
    const start = atShopHour(10) - DAY;
    await cron(site, start);
    for (const id of ['m-7101', 'm-7102']) {
      const s = new Shopper(site.id, start);
      await s.identify(id);
      await s.track('add_to_cart', { currency: 'KRW', items: [{ item_id: 'k-mug', price: 12000, quantity: 1 }] });
    }
    await cron(site, start + 61 * MINUTE);
    const deliveries = () => rows<{ shopper: string; state: string }>('SELECT shopper, state FROM webhook_deliveries WHERE site = ? ORDER BY shopper', site.id);
    expect(await deliveries()).toEqual([{ shopper: 'u:m-7101', state: 'sent' }, { shopper: 'u:m-7102', state: 'sent' }]);
    // Say the shop's endpoint had refused the second one for good.
    await env.DB.prepare("UPDATE webhook_deliveries SET state = 'failed', sent_at = NULL WHERE site = ? AND shopper = 'u:m-7102'").bind(site.id).run();

    expect((await archiveSite(env, site.id, 35, start + 30 * DAY)).deliveries_pruned).toBe(0); // inside the hot window
    expect((await archiveSite(env, site.id, 35, start + 37 * DAY)).deliveries_pruned).toBe(1);
    expect((await archiveSite(env, site.id, 35, start + 37 * DAY + MINUTE)).deliveries_pruned).toBe(0);
    expect(await deliveries()).toEqual([{ shopper: 'u:m-7102', state: 'failed' }]);
    const json = (await (await admin(site.token, `/v1/admin/sites/${site.id}/handoffs/cart-1h.json`)).json()) as { members: { user_id: string; delivery: string | null }[] };
    expect(json.members.map((m) => [m.user_id, m.delivery])).toEqual([['m-7101', 'sent'], ['m-7102', 'failed']]);
  });
});

describe('hand-offs and the store-wide control group', () => {
  it('hands off no member of the control group, as decide placed them on the device they logged in on', async () => {
    // The ready journey's campaigns (no `campaigns` key), so decide places the shopper.
    const { site } = await handoffSite([{ id: 'cart-1h', trigger: { kind: 'cart_abandoned', after_minutes: 60 }, holdout_percent: 0, advertising: false }], { campaigns: undefined });
    const put = await send(`/v1/admin/sites/${site.id}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ allowed_origins: ['https://shop.example'], control_group_percent: 50 }),
    });
    expect(put.status, await put.clone().text()).toBe(200);
    const start = atShopHour(10);
    await cron(site, start);
    // A shopper decided for while anonymous on a device whose id the hash puts in control, while
    // their member id alone would not be: the member stays where the device was placed.
    let device: Shopper;
    let memberId: string;
    do {
      device = new Shopper(site.id, start);
      memberId = `m-8${crypto.randomUUID().slice(0, 6)}`;
    } while (!(hashedIntoControl(site.id, `a:${device.anon}`, 50) && !hashedIntoControl(site.id, `u:${memberId}`, 50)));
    await device.pageView();
    await device.decide();
    await device.identify(memberId);
    await device.track('add_to_cart', { currency: 'KRW', items: [{ item_id: 'k-mug', price: 12000, quantity: 1 }] });
    // Members never decided for are placed by the hash of their member id.
    const others: Shopper[] = [];
    for (let i = 0; i < 20; i++) {
      const s = new Shopper(site.id, start);
      await s.identify(`m-9${String(i).padStart(3, '0')}`);
      await s.track('add_to_cart', { currency: 'KRW', items: [{ item_id: 'k-mug', price: 12000, quantity: 1 }] });
      others.push(s);
    }
    await cron(site, start + 61 * MINUTE);
    const groups = new Map((await members(site.id)).map((m) => [m.visitor_id, m.grp]));
    expect(groups.get(`u:${memberId}`)).toBe('control');
    for (const s of others) expect(groups.get(`u:${s.user}`)).toBe(hashedIntoControl(site.id, `u:${s.user}`, 50) ? 'control' : 'sent');
    expect([...groups.values()].filter((g) => g === 'control').length).toBeGreaterThan(1);
    const queued = await rows<{ shopper: string }>('SELECT shopper FROM webhook_deliveries WHERE site = ?', site.id);
    expect(queued.every((d) => groups.get(d.shopper) === 'sent')).toBe(true);
  });
});

describe('hand-off audiences over what the shop knows', () => {
  it('hands off only members whose shop facts fit, judged as a campaign audience would be', async () => {
    const { site } = await handoffSite([
      { id: 'gold-carts', trigger: { kind: 'cart_abandoned', after_minutes: 60 }, holdout_percent: 0, advertising: false, audience: { tiers: ['GOLD'], points_balance: { min: 1000 } } },
    ]);
    const start = atShopHour(10);
    await cron(site, start);
    const shoppers = ['m-gold-rich', 'm-gold-poor', 'm-silver-rich', 'm-nothing'].map((id) => ({ id, s: new Shopper(site.id, start) }));
    for (const { id, s } of shoppers) {
      await s.identify(id);
      await s.track('add_to_cart', { currency: 'KRW', items: [{ item_id: 'k-mug', price: 12000, quantity: 1 }] });
    }
    const facts = await serverEvents(site.id, start, [
      { name: 'tier_updated', user_id: 'm-gold-rich', props: { tier: 'GOLD' } },
      { name: 'points_updated', user_id: 'm-gold-rich', props: { balance: 1500, expiring: [] } },
      { name: 'tier_updated', user_id: 'm-gold-poor', props: { tier: 'GOLD' } },
      { name: 'points_updated', user_id: 'm-gold-poor', props: { balance: 999, expiring: [] } },
      { name: 'tier_updated', user_id: 'm-silver-rich', props: { tier: 'SILVER' } },
      { name: 'points_updated', user_id: 'm-silver-rich', props: { balance: 5000, expiring: [] } },
    ]);
    expect(facts.body.rejected).toEqual([]);
    expect(await cron(site, start + 61 * MINUTE)).toEqual({ moments: 1, sent: 1 });
    expect(await members(site.id)).toEqual([{ handoff: 'gold-carts', visitor_id: 'u:m-gold-rich', grp: 'sent' }]);
  });

  it('refuses an on-site condition in a hand-off audience', async () => {
    const { site } = await handoffSite([]);
    const response = await admin(site.token, `/v1/admin/sites/${site.id}/config`, {
      method: 'PUT',
      body: JSON.stringify({ campaigns: [], handoffs: [{ id: 'x', trigger: { kind: 'at_risk' }, audience: { devices: ['mobile'], orders: { min: 3, max: 1 } } }] }),
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain('handoffs[0].audience');
    expect(text).toContain('devices');
    expect(text).toContain('min must not be above max');
  });
});
