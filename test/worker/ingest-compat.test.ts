// The collector is liberal in what it reads and exact in what it stores: what real shops' tags send
// (numeric order ids, null coupons, prices as strings, fractional quantities, no currency) is stored
// typed; what the product can do without is dropped and counted for the site; revenue has one
// meaning; and a browser's events apply in its own order (seq) when their timestamps tie.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { OPERATOR_TOKEN } from './helpers';
import { Shopper, sendAt, siteWith, quietConfig } from './shopper';

const propsOf = async (site: string, name: string) =>
  JSON.parse((await env.DB.prepare('SELECT props FROM events WHERE site = ?1 AND name = ?2').bind(site, name).first<{ props: string }>())!.props);

describe('ingest of real shops’ e-commerce', () => {
  it('stores a purchase with a numeric transaction_id, a null coupon and string amounts, typed', async () => {
    const site = await siteWith(quietConfig());
    const s = new Shopper(site.id);
    await s.track('purchase', { transaction_id: 4711, coupon: null, value: '95.00', shipping: '5', tax: '', currency: 'USD', items: [{ item_id: 55, price: '45.00', quantity: '2' }] });
    expect(await propsOf(site.id, 'purchase')).toEqual({ transaction_id: '4711', value: 95, shipping: 5, currency: 'USD', items: [{ item_id: '55', price: 45, quantity: 2 }] });
    const order = await env.DB.prepare('SELECT value, shipping FROM orders WHERE site = ?1 AND transaction_id = ?2').bind(site.id, '4711').first();
    // Revenue is the items total, whatever `value` holds; shipping is kept beside it.
    expect(order).toEqual({ value: 90, shipping: 5 });
    // Normalising what GA4 itself tolerates is not a tagging fault.
    const tagging = await sendAt(Date.now(), `/v1/admin/sites/${site.id}/tagging`, { headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` } });
    expect(await tagging.json()).toEqual({ issues: [] });
  });

  it('keeps fractional quantities, and fills a missing currency from the site setting', async () => {
    const site = await siteWith(quietConfig(), { currency: 'EUR' });
    const s = new Shopper(site.id);
    await s.track('add_to_cart', { items: [{ item_id: 'CHEESE', price: 4.5, quantity: 1.5 }] });
    expect(await propsOf(site.id, 'add_to_cart')).toEqual({ currency: 'EUR', items: [{ item_id: 'CHEESE', price: 4.5, quantity: 1.5 }] });
    const line = await env.DB.prepare("SELECT quantity, item ->> '$.currency' AS currency FROM cart_items WHERE site = ?1").bind(site.id).first();
    expect(line).toEqual({ quantity: 1.5, currency: 'EUR' });
  });

  it('never loses a purchase for a field the product does not need: it is stored, and the oddity counted', async () => {
    const site = await siteWith(quietConfig());
    const s = new Shopper(site.id);
    await s.track('purchase', { transaction_id: 'T-odd', items: [{ item_id: 'a', price: 1000, quantity: 1, image_url: '/img/a.png' }, { price: 5 }] });
    await s.track('purchase', { transaction_id: 'T-odd-2', items: [{ item_id: 'b', price: 2000, image_url: 'img/b.png' }] });
    expect(await env.DB.prepare('SELECT transaction_id, value FROM orders WHERE site = ?1 ORDER BY transaction_id').bind(site.id).all().then((r) => r.results)).toEqual([
      { transaction_id: 'T-odd', value: 1000 },
      { transaction_id: 'T-odd-2', value: 2000 },
    ]);
    const tagging = await sendAt(Date.now(), `/v1/admin/sites/${site.id}/tagging`, { headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` } });
    const { issues } = (await tagging.json()) as { issues: { event_name: string; field: string; fix: string; count: number }[] };
    expect(issues.map(({ event_name, field, fix, count }) => ({ event_name, field, fix, count })).sort((a, b) => a.field.localeCompare(b.field))).toEqual([
      { event_name: 'purchase', field: 'items[]', fix: 'dropped', count: 1 },
      { event_name: 'purchase', field: 'items[].image_url', fix: 'dropped', count: 2 },
    ]);
  });

  it('still rejects what the product needs: a purchase without a transaction id', async () => {
    const site = await siteWith(quietConfig());
    const s = new Shopper(site.id);
    const response = await sendAt(s.now, '/v1/collect', {
      method: 'POST',
      body: JSON.stringify({ site: site.id, sent_at: s.now, events: [s.event('purchase', { transaction_id: null, items: [] })] }),
    });
    expect(((await response.json()) as { rejected: { reason: string }[] }).rejected[0]?.reason).toMatch(/transaction_id/);
  });

  it('applies a browser’s same-millisecond cart events in its own order (seq), not by event id', async () => {
    const site = await siteWith(quietConfig());
    const s = new Shopper(site.id);
    let seq = 0;
    const events = [];
    for (let i = 0; i < 10; i++) {
      events.push({ ...s.event('add_to_cart', { items: [{ item_id: `S-${i}`, price: 100, quantity: 2 }] }), seq: ++seq });
      events.push({ ...s.event('remove_from_cart', { items: [{ item_id: `S-${i}`, quantity: 1 }] }), seq: ++seq });
    }
    // Same ts for all; event ids random; sent in reverse so storage order cannot help.
    await s.send(...events.reverse());
    const { results } = await env.DB.prepare('SELECT item_id, quantity FROM cart_items WHERE site = ?1 ORDER BY item_id').bind(site.id).all();
    expect(results).toEqual(Array.from({ length: 10 }, (_, i) => ({ item_id: `S-${i}`, quantity: 1 })));
  });
});
