// Signed identity: on a site with an identity secret, a member id from the browser counts only with
// its user_hash (HMAC-SHA256 of the id under the secret, from the shop's server). Without it, events
// are stored for the anonymous browser only, and decide and recommendations answer as for a
// stranger: knowing a member's id no longer shows their cart or history.
import { describe, expect, it } from 'vitest';
import { hmacSha256Hex } from '../../edge/lib/crypto';
import { OPERATOR_TOKEN, send } from './helpers';
import { quietConfig, rows, Shopper, siteWith } from './shopper';

const SECRET = 'shop-identity-secret-0123456789abcdef';
const immediate = { type: 'immediate' };
const mug = { item_id: 'sku-mug', item_name: '머그컵', price: 12000 };

const putSite = (id: string, settings: Record<string, unknown>) =>
  send(`/v1/admin/sites/${id}`, { method: 'PUT', headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ allowed_origins: ['https://shop.example'], control_group_percent: 0, ...settings }) });
const getSite = async (id: string) => (await send(`/v1/admin/sites/${id}`, { headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` } })).json() as Promise<Record<string, unknown>>;

/** A member whose own browser carries the shop server's proof; their cart holds a mug. */
async function memberWithCart(site: string, userId: string) {
  const member = new Shopper(site);
  member.user = userId;
  member.userHash = await hmacSha256Hex(SECRET, userId);
  await member.track('login', { method: 'password' });
  await member.track('add_to_cart', { currency: 'KRW', items: [mug] });
  return member;
}

describe('identity secret on the site', () => {
  it('is write-only: the site says verification is on, never the secret; left out it stays, null removes it', async () => {
    const site = await siteWith(quietConfig(), { identity_secret: SECRET });
    expect(await getSite(site.id)).toMatchObject({ identity_verification: true });
    expect(JSON.stringify(await getSite(site.id))).not.toContain(SECRET);
    expect((await putSite(site.id, { name: 'renamed' })).status).toBe(200);
    expect(await getSite(site.id)).toMatchObject({ name: 'renamed', identity_verification: true });
    expect((await putSite(site.id, { identity_secret: null })).status).toBe(200);
    expect(await getSite(site.id)).toMatchObject({ identity_verification: false });
  });

  it('refuses a short secret with a reason, and changes nothing', async () => {
    const site = await siteWith(quietConfig());
    const response = await putSite(site.id, { identity_secret: 'short' });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/identity_secret.*at least 32/);
    expect(await getSite(site.id)).toMatchObject({ identity_verification: false });
  });
});

describe('with an identity secret', () => {
  it('stores events with a proven user id as the member, and the others for the anonymous browser only', async () => {
    const site = await siteWith(quietConfig(), { identity_secret: SECRET });
    const s = new Shopper(site.id);
    s.user = 'member-1';
    const proven = s.event('login', { method: 'password' });
    const unproven = s.event('page_view');
    const wrong = { ...s.event('view_item', { items: [mug] }), user_hash: await hmacSha256Hex('another-secret-0123456789abcdefghij', 'member-1') };
    // A shop that gets the hash's form wrong loses no events, only the member id on them.
    const malformed = { ...s.event('search', { search_term: 'mug' }), user_hash: 'NOT-A-HEX-HMAC' };
    s.userHash = await hmacSha256Hex(SECRET, 'member-1');
    const response = await send('/v1/collect', { method: 'POST', body: JSON.stringify({ site: site.id, sent_at: Date.now(), events: [{ ...proven, user_hash: s.userHash }, unproven, wrong, malformed] }) });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 4, duplicates: 0, rejected: [], unverified_user_ids: 3 });
    const stored = await rows<{ id: string; user_id: string | null; props: string }>('SELECT id, user_id, props FROM events WHERE site = ?', site.id);
    expect(Object.fromEntries(stored.map((e) => [e.id, e.user_id]))).toEqual({ [proven.id]: 'member-1', [unproven.id]: null, [wrong.id]: null, [malformed.id]: null });
    expect(JSON.stringify(stored)).not.toContain(s.userHash);
  });

  it("a stranger who knows a member's id sees nothing of theirs: no cart reminder with their cart, no link to their profile", async () => {
    const site = await siteWith(quietConfig({ cart_reminder: { enabled: true, trigger: immediate } }), { identity_secret: SECRET });
    const member = await memberWithCart(site.id, 'member-2');
    expect((await member.overlay())?.props.items).toEqual([expect.objectContaining({ item_id: 'sku-mug' })]);

    const stranger = new Shopper(site.id);
    stranger.user = 'member-2';
    await stranger.track('login', { method: 'password' });
    expect(await stranger.overlay()).toBeNull();
    expect(await rows('SELECT user_id FROM identity_links WHERE site = ? AND anon_id = ?', site.id, stranger.anon)).toEqual([]);
    stranger.userHash = '0'.repeat(64);
    expect(await stranger.overlay()).toBeNull();
  });

  it("recommendations read a member's history only with the proof", async () => {
    const site = await siteWith(quietConfig(), { identity_secret: SECRET });
    const member = await memberWithCart(site.id, 'member-3');
    await member.viewItem({ item_id: 'sku-secret', item_name: 'Private purchase' });
    const ask = async (extra: Record<string, string>) => {
      const query = new URLSearchParams({ site: site.id, strategy: 'recently_viewed', anon_id: `anon-stranger-${Date.now()}`, user_id: 'member-3', ...extra });
      const body = (await (await send(`/v1/recommendations?${query}`)).json()) as { sources: string[] };
      return body.sources;
    };
    expect(await ask({})).not.toContain('recently_viewed');
    expect(await ask({ user_hash: await hmacSha256Hex(SECRET, 'member-3') })).toContain('recently_viewed');
  });
});

describe('without an identity secret', () => {
  it('trusts the user id as before (and ignores a user_hash)', async () => {
    const site = await siteWith(quietConfig({ cart_reminder: { enabled: true, trigger: immediate } }));
    const s = new Shopper(site.id);
    s.user = 'member-4';
    s.userHash = 'f'.repeat(64);
    await s.track('add_to_cart', { currency: 'KRW', items: [mug] });
    expect((await s.overlay())?.props.items).toEqual([expect.objectContaining({ item_id: 'sku-mug' })]);
    expect(await rows('SELECT user_id FROM events WHERE site = ?', site.id)).toEqual([{ user_id: 'member-4' }]);
  });
});
