import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { applyStoredBatches } from '../../edge/pipeline/run';
import { batchOf, createSite, makeEvent, OPERATOR_TOKEN, postCollect } from './helpers';
import { DAY, HOUR, quietConfig, rows, sendAt, Shopper, siteWith } from './shopper';

const mug = { item_id: 'sku-mug', item_name: '머그컵', price: 12000 };
const tee = { item_id: 'sku-tee', item_name: 'Linen tee', price: 39000, image_url: 'https://cdn.example/tee.jpg' };

async function serverEvents(site: string, token: string | null, events: unknown[], now = Date.now()) {
  return sendAt(now, `/v1/admin/sites/${site}/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ events }),
  });
}

describe('profiles at ingest', () => {
  it('counts sessions, page views and first/last seen; server-side events start no session', async () => {
    const site = await createSite();
    const s = new Shopper(site.id);
    const start = s.now;
    await s.pageView();
    await s.advance(HOUR).pageView();
    await s.advance(2 * HOUR).newSession().pageView();
    const response = await serverEvents(site.id, OPERATOR_TOKEN, [{ id: `srv-${crypto.randomUUID()}`, name: 'sign_up', ts: s.now, anon_id: s.anon, user_id: 'member-1' }], s.now);
    expect(response.status).toBe(202);
    s.user = 'member-1';
    const { profile } = await s.profile();
    expect(profile).toMatchObject({ sessions: 2, page_views: 3, first_seen: start - 10, last_seen: s.now, is_member: 1, last_session_id: s.session });
  });

  it('keeps each browser its own latest session when one request carries many browsers', async () => {
    const site = await createSite();
    const now = Date.now();
    // Ten browsers, each with an older and a newer session, interleaved in one batch (one pipeline round).
    const browsers = Array.from({ length: 10 }, (_, i) => `anon-round-${String(i).padStart(3, '0')}`);
    const events = browsers.flatMap((anon, i) => [
      makeEvent({ anon_id: anon, session_id: `sess-new-${i}-xx`, ts: now - 1000 + i, seq: 2 }),
      makeEvent({ anon_id: anon, session_id: `sess-old-${i}-xx`, ts: now - 60_000 + i, seq: 1 }),
    ]);
    const response = await postCollect(batchOf(site.id, events));
    expect(response.status).toBe(202);
    const profiles = await rows<{ visitor_id: string; sessions: number; last_session_id: string }>(
      'SELECT visitor_id, sessions, last_session_id FROM profiles WHERE site = ? ORDER BY visitor_id',
      site.id,
    );
    expect(profiles).toEqual(browsers.map((anon, i) => ({ visitor_id: `a:${anon}`, sessions: 2, last_session_id: `sess-new-${i}-xx` })));
  });

  it('counts views per product and keeps the item as last seen', async () => {
    const site = await siteWith(quietConfig({ interested_product: { enabled: true } }));
    const s = new Shopper(site.id);
    for (let i = 0; i < 3; i++) await s.advance(60_000).viewItem(tee);
    await s.viewItem(mug);
    const views = await rows<{ item_id: string; views: number; item: string }>('SELECT item_id, views, item FROM product_views WHERE site = ? ORDER BY item_id', site.id);
    expect(views.map((v) => [v.item_id, v.views])).toEqual([['sku-mug', 1], ['sku-tee', 3]]);
    const { interested_products } = await s.profile();
    expect(interested_products).toEqual([
      { item_id: 'sku-tee', views: 3, last_viewed_at: expect.any(Number), item_name: 'Linen tee', price: 39000, currency: 'KRW', image_url: 'https://cdn.example/tee.jpg', url: 'https://shop.example/products/sku-tee' },
    ]);
  });

  it('keeps the cart from add, remove and purchase, in event order', async () => {
    const site = await createSite();
    const s = new Shopper(site.id);
    await s.track('add_to_cart', { currency: 'KRW', items: [{ ...mug, quantity: 2 }] });
    await s.track('add_to_cart', { currency: 'KRW', items: [{ ...tee, quantity: 1 }] });
    await s.track('remove_from_cart', { items: [{ item_id: 'sku-mug', quantity: 1 }] });
    let p = await s.profile();
    expect(p.cart).toEqual(expect.arrayContaining([expect.objectContaining({ item_id: 'sku-mug', quantity: 1, price: 12000 }), expect.objectContaining({ item_id: 'sku-tee', quantity: 1 })]));
    expect(p.profile.cart_value).toBe(12000 + 39000);

    // Remove without quantity removes the line; in one batch, remove-all then add counts from zero.
    await s.send(
      s.event('remove_from_cart', { items: [{ item_id: 'sku-tee' }] }),
      s.event('remove_from_cart', { items: [{ item_id: 'sku-mug' }] }),
      { ...s.event('add_to_cart', { currency: 'KRW', items: [{ ...mug, quantity: 1 }] }), ts: s.now - 5 },
    );
    p = await s.profile();
    expect(p.cart.map((l: { item_id: string; quantity: number }) => [l.item_id, l.quantity])).toEqual([['sku-mug', 1]]);
    expect(p.profile.cart_value).toBe(12000);

    // A purchase empties the cart; what is added after it stays.
    await s.advance(1000).send(
      s.event('purchase', { transaction_id: 'T-cart', currency: 'KRW', value: 12000, items: [mug] }),
      { ...s.event('add_to_cart', { currency: 'KRW', items: [tee] }), ts: s.now - 1 },
    );
    p = await s.profile();
    expect(p.cart.map((l: { item_id: string }) => l.item_id)).toEqual(['sku-tee']);
    expect(p.profile.cart_value).toBe(39000);
    expect(p.profile.cart_updated_at).toBe(s.now - 1);
  });

  it('counts an order once per transaction_id, with revenue and last purchase; a refund takes it back', async () => {
    const site = await createSite();
    const s = new Shopper(site.id);
    const order = { transaction_id: 'T-100', currency: 'KRW', value: 51000, items: [mug, tee] };
    await s.track('purchase', order);
    await s.advance(1000).track('purchase', order); // resent by the shop with a new event id
    let p = await s.profile();
    expect(p.profile).toMatchObject({ orders: 1, revenue: 51000, first_purchase_at: s.now - 1010, last_purchase_at: s.now - 1010 });
    expect(p.stage).toBe('new');
    expect(await rows('SELECT transaction_id, value FROM orders WHERE site = ?', site.id)).toEqual([{ transaction_id: 'T-100', value: 51000 }]);

    await s.advance(DAY).track('purchase', { transaction_id: 'T-101', currency: 'KRW', items: [{ ...tee, quantity: 2 }] });
    p = await s.profile();
    expect(p.profile).toMatchObject({ orders: 2, revenue: 51000 + 78000, last_purchase_at: s.now - 10 });
    expect(p.stage).toBe('active');

    await s.track('refund', { transaction_id: 'T-101' });
    await s.track('refund', { transaction_id: 'T-101' });
    expect((await s.profile()).profile.revenue).toBe(51000);
  });

  it('takes a partial refund off the revenue by its own value or items, and marks the order refunded once nothing is left', async () => {
    const site = await createSite();
    const s = new Shopper(site.id);
    await s.track('purchase', { transaction_id: 'T-200', currency: 'KRW', value: 63000, items: [{ ...mug, quantity: 2 }, tee] });
    await s.track('purchase', { transaction_id: 'T-201', currency: 'KRW', value: 12000, items: [mug] });
    expect((await s.profile()).profile.revenue).toBe(75000);
    const order = async () => (await rows<{ refunded: number; refunded_at: number | null }>('SELECT refunded, refunded_at FROM orders WHERE site = ? AND transaction_id = ?', site.id, 'T-200'))[0]!;

    await s.track('refund', { transaction_id: 'T-200', value: 30000, currency: 'KRW' });
    expect((await s.profile()).profile.revenue).toBe(45000);
    expect(await order()).toEqual({ refunded: 30000, refunded_at: null });

    await s.track('refund', { transaction_id: 'T-200', currency: 'KRW', items: [{ ...mug, quantity: 1 }] }); // its items' worth
    expect((await s.profile()).profile.revenue).toBe(45000 - mug.price);
    await s.track('refund', { transaction_id: 'T-200', value: 500000 }); // never more than the order had left
    expect((await s.profile()).profile.revenue).toBe(12000);
    expect(await order()).toMatchObject({ refunded: 63000, refunded_at: expect.any(Number) });
    await s.track('refund', { transaction_id: 'T-200' }); // nothing left to take
    expect((await s.profile()).profile).toMatchObject({ revenue: 12000, orders: 2 });
  });

  it('records marketing consent from consent_update (latest wins) and from a lead that opts in', async () => {
    const site = await createSite();
    const s = new Shopper(site.id);
    await s.pageView();
    expect((await s.profile()).profile).toMatchObject({ marketing_consent: 0, marketing_consent_at: null });
    await s.track('consent_update', { analytics: true, marketing: true });
    expect((await s.profile()).profile.marketing_consent).toBe(1);
    await s.advance(1000).track('consent_update', { analytics: true, marketing: false });
    expect((await s.profile()).profile.marketing_consent).toBe(0);
    await s.advance(1000).track('lead_submit', { email: 'a@example.com', marketing_consent: false });
    expect((await s.profile()).profile.marketing_consent).toBe(0);
    await s.advance(1000).track('lead_submit', { email: 'a@example.com', marketing_consent: true });
    expect((await s.profile()).profile).toMatchObject({ marketing_consent: 1, marketing_consent_at: s.now - 10 });
  });

  it('keeps widget history per widget: impressions, clicks, dismissals, submits and conversions after an impression', async () => {
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: { type: 'immediate' } } }));
    const s = new Shopper(site.id);
    await s.pageView();
    // A sign-up before any impression converts nothing.
    const decision = (await s.overlay())!;
    expect(decision.widget).toBe('signup_benefit');
    await s.widgetEvent('widget_impression', decision);
    await s.widgetEvent('widget_click', decision);
    await s.widgetEvent('widget_submit', decision);
    await s.track('lead_submit', { decision_id: decision.decision_id, email: 'b@example.com', marketing_consent: false });
    const { campaigns } = await s.profile();
    expect(campaigns.signup_benefit).toMatchObject({ decisions: 1, impressions: 1, clicks: 1, submits: 1, dismissals: 0, conversions: 1, exposures: 1, session_id: s.session, session_exposures: 1, day_exposures: 1 });
    expect(campaigns.signup_benefit.last_overlay_at).toBe(s.now - 10);
  });

  it('records products reviewed, which review prompts then skip', async () => {
    const site = await siteWith(quietConfig({ review_prompt: { enabled: true } }));
    const s = new Shopper(site.id);
    await s.track('purchase', { transaction_id: 'T-r', currency: 'KRW', value: 51000, items: [mug, tee] });
    s.advance(8 * DAY);
    expect((await s.profile()).awaiting_review.map((r: { item_id: string }) => r.item_id).sort()).toEqual(['sku-mug', 'sku-tee']);
    await s.track('review_submit', { item_id: 'sku-mug', rating: 5, text: '좋아요' });
    expect((await s.profile()).awaiting_review.map((r: { item_id: string }) => r.item_id)).toEqual(['sku-tee']);
    expect(await rows('SELECT item_id, rating FROM reviewed_products WHERE site = ?', site.id)).toEqual([{ item_id: 'sku-mug', rating: 5 }]);
  });

  it('applies a batch once even when processing runs twice (waitUntil and the sweep racing)', async () => {
    const site = await createSite();
    const s = new Shopper(site.id);
    await s.pageView();
    await s.track('purchase', { transaction_id: 'T-once', value: 12000, items: [mug] });
    // The batches' bookkeeping is gone once applied; their events are still there to be read back.
    const batches = await rows<{ id: string; received_at: number }>('SELECT DISTINCT batch_id AS id, received_at FROM events WHERE site = ?', site.id);
    expect(batches.length).toBeGreaterThan(0);
    expect(await applyStoredBatches(env.DB, batches.map((b) => ({ ...b, site: site.id })))).toBe(0);
    expect((await s.profile()).profile).toMatchObject({ page_views: 1, orders: 1, revenue: 12000 });
  });
});

describe('identity merge', () => {
  it('merges the anonymous profile into the member on identify, everything included', async () => {
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: { type: 'immediate' } } }));
    const phone = new Shopper(site.id);
    await phone.viewItem(tee);
    await phone.track('add_to_cart', { currency: 'KRW', items: [mug] });
    const shown = (await phone.overlay())!;
    await phone.widgetEvent('widget_impression', shown);
    await phone.widgetEvent('widget_dismiss', shown);

    const laptop = phone.onAnotherDevice();
    laptop.user = 'member-7';
    await laptop.pageView();
    await laptop.track('purchase', { transaction_id: 'T-7', value: 39000, items: [tee] });

    await phone.advance(1000).identify('member-7');
    const merged = await phone.profile();
    expect(merged.visitor_id).toBe('u:member-7');
    expect(merged.profile).toMatchObject({ is_member: 1, orders: 1, page_views: 2, sessions: 2 });
    expect(merged.cart.map((l: { item_id: string }) => l.item_id)).toEqual(['sku-mug']);
    expect(merged.campaigns.signup_benefit).toMatchObject({ decisions: 1, impressions: 1, dismissals: 1 });
    expect(await rows('SELECT visitor_id, views, purchased_at IS NOT NULL AS bought FROM product_views WHERE site = ?', site.id)).toEqual([{ visitor_id: 'u:member-7', views: 1, bought: 1 }]);
    expect(await rows('SELECT DISTINCT visitor_id FROM decisions WHERE site = ?', site.id)).toEqual([{ visitor_id: 'u:member-7' }]);
    expect(await rows("SELECT visitor_id FROM profiles WHERE site = ? AND visitor_id LIKE 'a:%'", site.id)).toEqual([]);

    // Later events of the phone without user_id still land on the member.
    phone.user = undefined;
    await phone.pageView();
    expect(await rows("SELECT count(*) AS n FROM profiles WHERE site = ? AND visitor_id LIKE 'a:%'", site.id)).toEqual([{ n: 0 }]);
    phone.user = 'member-7';
    expect((await phone.profile()).profile.page_views).toBe(3);
  });
});

describe('POST /v1/admin/sites/:site/events (server-side)', () => {
  it('takes only the site or operator token', async () => {
    const site = await createSite();
    const other = await createSite();
    const event = { id: `srv-${crypto.randomUUID()}`, name: 'sign_up', user_id: 'm-1' };
    expect((await serverEvents(site.id, null, [event])).status).toBe(401);
    expect((await serverEvents(site.id, other.token, [event])).status).toBe(401);
    const ok = await serverEvents(site.id, site.token, [event]);
    expect(ok.status).toBe(202);
    expect(await ok.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await (await serverEvents(site.id, site.token, [event])).json()).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
  });

  it('updates the profile like browser events: a backend sign_up makes a member, order_delivered opens the review prompt', async () => {
    const site = await siteWith(quietConfig({ review_prompt: { enabled: true, trigger: { type: 'immediate' } } }));
    const s = new Shopper(site.id);
    s.user = 'm-42';
    await s.track('purchase', { transaction_id: 'T-42', currency: 'KRW', value: 12000, items: [mug] });
    s.advance(2 * DAY);
    expect(await s.overlay()).toBeNull(); // 7 days after purchase by default, or 1 after delivery

    const response = await serverEvents(site.id, site.token, [
      { id: `srv-${crypto.randomUUID()}`, name: 'order_delivered', user_id: 'm-42', ts: s.now - DAY, props: { transaction_id: 'T-42' } },
      { id: `srv-${crypto.randomUUID()}`, name: 'not valid!', user_id: 'm-42' },
    ], s.now);
    const body = (await response.json()) as { accepted: number; rejected: { index: number }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([1]);
    expect(await rows('SELECT delivered_at FROM orders WHERE site = ?', site.id)).toEqual([{ delivered_at: s.now - DAY }]);
    const prompt = (await s.overlay())!;
    expect(prompt.widget).toBe('review_prompt');
    expect(prompt.props).toMatchObject({ items: [{ item_id: 'sku-mug', name: '머그컵' }], transaction_id: 'T-42', allow_text: true });
    const { profile } = await s.profile();
    expect(profile.sessions).toBe(1); // the server's events opened no session
  });

  it('refuses a body that is not a batch, storing nothing', async () => {
    const site = await createSite();
    const response = await sendAt(Date.now(), `/v1/admin/sites/${site.id}/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${site.token}` },
      body: JSON.stringify({ events: 'nope' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_batch');
    expect(await rows('SELECT id FROM events WHERE site = ?', site.id)).toEqual([]);
  });
});
