import { describe, expect, it } from 'vitest';
import { createSite, OPERATOR_TOKEN } from './helpers';
import { addToCart, admin, collect, event, rows, shopper, uploadCatalog, viewItem } from './shop-helpers';

type Row = { item_id: string; name: string | null; price: number | null; currency: string | null; image_url: string | null; url: string | null; category: string | null; brand: string | null; uploaded: number; available: number };
const catalogRow = async (site: string, itemId: string) =>
  (await rows<Row>('SELECT * FROM catalog WHERE site = ? AND item_id = ?', site, itemId))[0];

describe('catalogue built at ingest', () => {
  it('takes name, price, image, url and category from view_item, the page URL standing in for a missing url', async () => {
    const site = await createSite();
    const who = shopper();
    await collect(site.id, [
      viewItem(who, { item_id: 'mug', item_name: '머그컵', price: 12000, item_category: 'kitchen', image_url: 'https://cdn.shop.example/mug.jpg' }),
      event(who, 'view_item_list', { items: [{ item_id: 'cup', item_name: 'Cup', price: 9000, item_brand: 'Acme' }, { item_id: 'plate', item_name: 'Plate' }] }),
      addToCart(who, { item_id: 'bowl', item_name: 'Bowl', price: 15000, url: 'https://shop.example/bowl' }),
      event(who, 'page_view', { title: 'no items here' }),
    ]);
    expect(await catalogRow(site.id, 'mug')).toMatchObject({
      name: '머그컵', price: 12000, currency: 'KRW', image_url: 'https://cdn.shop.example/mug.jpg', url: 'https://shop.example/p/mug', category: 'kitchen', uploaded: 0, available: 1,
    });
    // A list page is not the item's page: no url is made up for it.
    expect(await catalogRow(site.id, 'cup')).toMatchObject({ name: 'Cup', price: 9000, brand: 'Acme', url: null });
    expect(await catalogRow(site.id, 'bowl')).toMatchObject({ url: 'https://shop.example/bowl' });
    expect((await rows('SELECT item_id FROM catalog WHERE site = ?', site.id)).length).toBe(4);
  });

  it('keeps known fields an event leaves out, takes newer values, and ignores older events', async () => {
    const site = await createSite();
    const who = shopper();
    const now = Date.now();
    await collect(site.id, [viewItem(who, { item_id: 'mug', item_name: 'Mug', price: 12000, image_url: 'https://cdn.shop.example/mug.jpg' }, { ts: now - 10_000 })]);
    await collect(site.id, [event(who, 'view_item_list', { items: [{ item_id: 'mug', item_name: 'Mug v2', price: 11000 }] }, { ts: now - 5_000 })]);
    expect(await catalogRow(site.id, 'mug')).toMatchObject({ name: 'Mug v2', price: 11000, image_url: 'https://cdn.shop.example/mug.jpg' });
    // An event from before the last update (an outbox that sat offline) does not roll it back.
    await collect(site.id, [viewItem(who, { item_id: 'mug', item_name: 'Mug (old)', price: 13000 }, { ts: now - 60_000 })]);
    expect(await catalogRow(site.id, 'mug')).toMatchObject({ name: 'Mug v2', price: 11000 });
  });
});

describe('PUT /v1/admin/sites/:site/catalog', () => {
  it('adds items, and uploaded rows win over what browsers report later', async () => {
    const site = await createSite();
    await uploadCatalog(site, [
      { item_id: 'mug', name: '도자기 머그', price: 15000, currency: 'KRW', image_url: 'https://cdn.shop.example/m.jpg', url: 'https://shop.example/mug', category: 'kitchen' },
      { item_id: 'lamp', name: 'Lamp', available: false },
    ]);
    await collect(site.id, [viewItem(shopper(), { item_id: 'mug', item_name: 'Cheap mug', price: 1, image_url: 'https://evil.example/x.jpg' })]);
    expect(await catalogRow(site.id, 'mug')).toMatchObject({ name: '도자기 머그', price: 15000, image_url: 'https://cdn.shop.example/m.jpg', uploaded: 1 });
    expect(await catalogRow(site.id, 'lamp')).toMatchObject({ name: 'Lamp', available: 0, uploaded: 1 });
  });

  it('takes over a row browsers reported, keeping fields the upload leaves out', async () => {
    const site = await createSite();
    await collect(site.id, [viewItem(shopper(), { item_id: 'mug', item_name: 'mug', image_url: 'https://cdn.shop.example/m.jpg' })]);
    await uploadCatalog(site, [{ item_id: 'mug', name: 'Stoneware mug', price: 15000 }]);
    expect(await catalogRow(site.id, 'mug')).toMatchObject({ name: 'Stoneware mug', price: 15000, image_url: 'https://cdn.shop.example/m.jpg', uploaded: 1 });
  });

  it('uploads a thousand items in one request', async () => {
    const site = await createSite();
    await uploadCatalog(site, Array.from({ length: 1000 }, (_, i) => ({ item_id: `sku-${i}`, name: `Item ${i}`, price: i })));
    expect((await rows<{ n: number }>('SELECT COUNT(*) AS n FROM catalog WHERE site = ?', site.id))[0]!.n).toBe(1000);
  });

  // A good item first: one bad item refuses the whole upload.
  const good = { item_id: 'good', name: 'Good' };
  it.each([
    ['a javascript: url', { items: [good, { item_id: 'x', name: 'X', url: 'javascript:alert(1)' }] }, /items\[1\]\.url: must be an absolute http\(s\) URL/],
    ['a data: image', { items: [good, { item_id: 'x', name: 'X', image_url: 'data:text/html,hi' }] }, /items\[1\]\.image_url/],
    ['a missing name', { items: [good, { item_id: 'x' }] }, /items\[1\]\.name/],
    ['a negative price', { items: [good, { item_id: 'x', name: 'X', price: -1 }] }, /items\[1\]\.price: must not be negative/],
    ['no items', { items: [] }, /items: must hold at least one item/],
    ['1001 items', { items: Array.from({ length: 1001 }, (_, i) => ({ item_id: `s${i}`, name: 'n' })) }, /at most 1000 items/],
  ])('refuses %s whole and stores nothing', async (_what, body, message) => {
    const site = await createSite();
    const response = await admin(site.token, `/v1/admin/sites/${site.id}/catalog`, { method: 'PUT', body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    const error = ((await response.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('invalid_catalog');
    expect(error.message).toMatch(message);
    expect(await rows('SELECT item_id FROM catalog WHERE site = ?', site.id)).toEqual([]);
  });

  it('refuses a body that is not JSON, a missing token and another site\'s token', async () => {
    const site = await createSite();
    const other = await createSite();
    const path = `/v1/admin/sites/${site.id}/catalog`;
    expect((await admin(site.token, path, { method: 'PUT', body: '{' })).status).toBe(400);
    const body = JSON.stringify({ items: [{ item_id: 'x', name: 'X' }] });
    expect((await admin('', path, { method: 'PUT', body })).status).toBe(401);
    expect((await admin(other.token, path, { method: 'PUT', body })).status).toBe(401);
    expect((await admin(OPERATOR_TOKEN, '/v1/admin/sites/no-such-site/catalog', { method: 'PUT', body })).status).toBe(404);
    expect(await rows('SELECT item_id FROM catalog WHERE site = ?', site.id)).toEqual([]);
  });

  it('pages through the catalogue with GET', async () => {
    const site = await createSite();
    await uploadCatalog(site, [{ item_id: 'a', name: 'A' }, { item_id: 'b', name: 'B' }, { item_id: 'c', name: 'C', available: false }]);
    const first = (await (await admin(site.token, `/v1/admin/sites/${site.id}/catalog?limit=2`)).json()) as { items: { item_id: string }[]; next_after: string };
    expect(first.items.map((i) => i.item_id)).toEqual(['a', 'b']);
    const second = (await (await admin(site.token, `/v1/admin/sites/${site.id}/catalog?limit=2&after=${first.next_after}`)).json()) as { items: unknown[]; next_after: null };
    expect(second).toMatchObject({ items: [{ item_id: 'c', available: false, source: 'upload' }], next_after: null });
  });
});
