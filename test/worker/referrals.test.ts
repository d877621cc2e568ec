// Referrals in workerd: a repeat buyer's invite card carries an opaque code of their own; a visit
// through the link is credited to them, never to themselves (same browser, same member, their own
// browser found out later); the friend's sign-up and first order are recorded, counted on the
// card and sent to the shop's hand-off webhook (a real receiver on loopback) so it can pay.
import { describe, expect, inject, it } from 'vitest';
import { SiteConfig } from '../../edge/contract';
import type { ReferralWebhookBody } from '../../edge/contract';
import { admin } from './shop-helpers';
import { campaignsConfig, DAY, type Decision, rows, Shopper, siteWith } from './shopper';

const REFERRAL = { id: 'invite', name: 'Invite', template: 'referral', slot: 'referral', audience: { consent: 'none', orders: { min: 2 } }, settings: { landing_url: '/welcome' } };

async function repeatBuyer(site: string, user = `m-${crypto.randomUUID().slice(0, 8)}`) {
  const s = new Shopper(site);
  s.user = user;
  await s.pageView();
  for (const n of [1, 2]) await s.advance(DAY).track('purchase', { transaction_id: `tx-${user}-${n}`, currency: 'KRW', value: 10000, items: [{ item_id: 'sku-1', price: 10000, quantity: 1 }] });
  return s;
}

async function card(s: Shopper): Promise<Decision | null> {
  const { inline } = await s.decide({ url: 'https://shop.example/account', type: 'account', slots: ['referral'] });
  return inline.find((d) => d.template === 'referral') ?? null;
}

const codeOf = (d: Decision) => new URL(d.props.link).searchParams.get('tp_ref')!;

const referralRows = (site: string) => rows<{ friend_anon: string; inviter: string; friend_user: string | null; signed_up_at: number | null; first_order_id: string | null; void_reason: string | null }>(
  'SELECT friend_anon, inviter, friend_user, signed_up_at, first_order_id, void_reason FROM referrals WHERE site = ? ORDER BY visited_at',
  site,
);

describe('referral card', () => {
  it('goes to repeat buyers with their own opaque, stable invite link and no personal data', async () => {
    const site = await siteWith(campaignsConfig([REFERRAL]));
    const guest = new Shopper(site.id);
    await guest.pageView();
    expect(await card(guest)).toBeNull();
    const once = new Shopper(site.id);
    once.user = 'm-once';
    await once.track('purchase', { transaction_id: 'tx-once', currency: 'KRW', value: 1, items: [{ item_id: 'a' }] });
    expect(await card(once)).toBeNull();

    const a = await repeatBuyer(site.id, 'member-alice@example.com');
    const first = (await card(a))!;
    expect(first.props).toMatchObject({ friends_joined: 0, friends_ordered: 0 });
    const link = new URL(first.props.link);
    expect(link.origin + link.pathname).toBe('https://shop.example/welcome');
    expect(codeOf(first)).toMatch(/^[a-km-np-z2-9]{16}$/);
    expect(first.props.code).toBe(codeOf(first));
    expect(first.props.link).not.toMatch(/alice|member/i);
    // The same code every time; another member's is another.
    expect(codeOf((await card(a))!)).toBe(codeOf(first));
    const b = await repeatBuyer(site.id);
    expect(codeOf((await card(b))!)).not.toBe(codeOf(first));
  });

  it('the ready journey offers it to repeat buyers (2+ orders), members only', () => {
    const referral = SiteConfig.parse({}).campaigns.find((c) => c.template === 'referral');
    expect(referral).toMatchObject({ enabled: true, placement: 'inline', slot: 'referral', audience: { membership: 'member', orders: { min: 2, max: null } } });
  });
});

describe('referral credit', () => {
  it('credits a friend’s visit, sign-up and first order to the inviter, counted on the card and sent to the webhook', async () => {
    const site = await siteWith(campaignsConfig([REFERRAL]));
    const path = `/ok/${crypto.randomUUID()}`;
    expect((await admin(site.token, `/v1/admin/sites/${site.id}/webhooks`, { method: 'PUT', body: JSON.stringify({ reviews_url: null, handoff_url: `${inject('receiverUrl')}${path}` }) })).status).toBe(200);
    const inviter = await repeatBuyer(site.id, 'm-inviter');
    const link = (await card(inviter))!.props.link as string;

    const friend = new Shopper(site.id, inviter.now);
    await friend.pageView(link);
    await friend.pageView('https://shop.example/products/1');
    expect(await referralRows(site.id)).toMatchObject([{ friend_anon: friend.anon, inviter: 'u:m-inviter', signed_up_at: null, void_reason: null }]);

    friend.advance(DAY);
    friend.user = 'm-friend';
    await friend.track('sign_up', { method: 'email' });
    await friend.track('purchase', { transaction_id: 'tx-friend-1', currency: 'KRW', value: 25000, items: [{ item_id: 'sku-1' }] });
    await friend.track('purchase', { transaction_id: 'tx-friend-2', currency: 'KRW', value: 5000, items: [{ item_id: 'sku-1' }] });
    expect(await referralRows(site.id)).toMatchObject([{ friend_user: 'm-friend', first_order_id: 'tx-friend-1', void_reason: null }]);
    expect((await card(inviter))!.props).toMatchObject({ friends_joined: 1, friends_ordered: 1 });

    const got = (await (await fetch(`${inject('receiverUrl')}/received?path=${encodeURIComponent(path)}`)).json()) as { headers: Record<string, string>; body: string }[];
    const bodies = got.map((g) => JSON.parse(g.body) as ReferralWebhookBody);
    expect(bodies.map((b) => b.step)).toEqual(['signed_up', 'first_order']);
    expect(bodies[1]).toMatchObject({ type: 'referral', inviter: { user_id: 'm-inviter' }, friend: { anon_id: friend.anon, user_id: 'm-friend' }, order: { transaction_id: 'tx-friend-1', value: 25000 } });
    expect(new Set(got.map((g) => g.headers['webhook-id'])).size).toBe(2);

    // A second inviter's link later does not take the friend over.
    const other = await repeatBuyer(site.id, 'm-other');
    await friend.pageView((await card(other))!.props.link);
    expect((await referralRows(site.id)).map((r) => r.inviter)).toEqual(['u:m-inviter']);
  });

  it('does not credit the inviter themselves: same browser, same member on another device, or their own browser found out later', async () => {
    const site = await siteWith(campaignsConfig([REFERRAL]));
    const inviter = await repeatBuyer(site.id, 'm-self');
    const link = (await card(inviter))!.props.link as string;

    // 1. The same browser (anonymous id), signed out.
    const signedOut = new Shopper(site.id, inviter.now);
    signedOut.anon = inviter.anon;
    await signedOut.pageView(link);
    // 2. The same member on another device.
    const phone = inviter.onAnotherDevice();
    phone.user = 'm-self';
    await phone.pageView(link);
    expect(await referralRows(site.id)).toEqual([]);

    // 3. A fresh browser of theirs: credited at first, void once it signs in as the inviter.
    const laptop = inviter.onAnotherDevice();
    await laptop.pageView(link);
    await laptop.advance(DAY).track('sign_up');
    expect(await referralRows(site.id)).toHaveLength(1);
    laptop.user = 'm-self';
    await laptop.track('login');
    await laptop.track('purchase', { transaction_id: 'tx-self', currency: 'KRW', value: 1000, items: [{ item_id: 'sku-1' }] });
    expect(await referralRows(site.id)).toMatchObject([{ void_reason: 'inviter_signed_in', first_order_id: null }]);
    expect((await card(inviter))!.props).toMatchObject({ friends_joined: 0, friends_ordered: 0 });
  });

  it('a browser that once signed in as the inviter stays theirs, though it signed in as someone else since', async () => {
    const site = await siteWith(campaignsConfig([REFERRAL]));
    const inviter = await repeatBuyer(site.id, 'm-shared');
    const link = (await card(inviter))!.props.link as string;
    // A shared browser: the inviter signs in, then another member; its identity link now names the other.
    const shared = inviter.onAnotherDevice();
    shared.user = 'm-shared';
    await shared.track('login');
    shared.user = 'm-partner';
    await shared.advance(DAY).track('login');
    shared.user = undefined;
    await shared.advance(DAY).pageView(link);
    expect(await referralRows(site.id)).toEqual([]);
  });

  it('a friend who had ordered before the visit brings no first order; an unknown code credits nobody', async () => {
    const site = await siteWith(campaignsConfig([REFERRAL]));
    const inviter = await repeatBuyer(site.id);
    const link = (await card(inviter))!.props.link as string;
    const customer = new Shopper(site.id, inviter.now);
    await customer.track('purchase', { transaction_id: 'tx-before', currency: 'KRW', value: 1000, items: [{ item_id: 'sku-1' }] });
    await customer.advance(DAY).pageView(link);
    await customer.advance(DAY).track('purchase', { transaction_id: 'tx-after', currency: 'KRW', value: 1000, items: [{ item_id: 'sku-1' }] });
    expect(await referralRows(site.id)).toMatchObject([{ friend_anon: customer.anon, first_order_id: null }]);

    const stranger = new Shopper(site.id, inviter.now);
    await stranger.pageView('https://shop.example/welcome?tp_ref=aaaaaaaaaaaaaaaa');
    expect(await referralRows(site.id)).toHaveLength(1);
  });
});
