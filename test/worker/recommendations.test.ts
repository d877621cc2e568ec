import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { TRENDING_CACHE_MS } from '../../edge/recs/trending';
import { createSite, send } from './helpers';
import { addToCart, collect, event, purchase, shopper, uploadCatalog, viewItem } from './shop-helpers';
import { sendAt } from './shopper';

type Card = { item_id: string; name: string; price?: number; currency?: string; image_url?: string; url?: string };
type Answer = { strategy: string; items: Card[]; sources: string[] };

const CATALOG = [
  ...['shirt', 'tee', 'polo', 'jacket'].map((id, i) => ({ item_id: id, name: `${id} 셔츠`, price: 10000 + i, currency: 'KRW', category: 'tops', url: `https://shop.example/p/${id}`, image_url: `https://cdn.shop.example/${id}.jpg` })),
  ...['jeans', 'chinos', 'shorts'].map((id) => ({ item_id: id, name: id, price: 30000, category: 'bottoms', url: `https://shop.example/p/${id}` })),
  ...['cap', 'socks', 'belt'].map((id) => ({ item_id: id, name: id, price: 5000, category: 'accessories' })),
];

async function shop() {
  const site = await createSite();
  await uploadCatalog(site, CATALOG);
  return site;
}

async function recommend(site: string, params: Record<string, string | number>, headers: Record<string, string> = {}) {
  const query = new URLSearchParams({ site, ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) });
  return send(`/v1/recommendations?${query}`, { headers });
}

async function ask(site: string, params: Record<string, string | number>): Promise<Answer> {
  const response = await recommend(site, params);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Answer;
}

const idsOf = (answer: Answer) => answer.items.map((i) => i.item_id);
let clock = Date.now() - 600_000;
const at = () => ({ ts: (clock += 1000) });

/** Sessions that each view the given items. */
async function sessionsViewing(site: string, ...sessions: string[][]) {
  for (const items of sessions) {
    const who = shopper();
    await collect(site, items.map((id) => viewItem(who, { item_id: id }, at())));
  }
}

describe('GET /v1/recommendations', () => {
  it('viewed_together: what other sessions viewed with this product, strongest first, the product itself left out', async () => {
    const site = await shop();
    await sessionsViewing(site.id, ['shirt', 'jeans'], ['shirt', 'jeans', 'cap'], ['shirt', 'chinos', 'jeans'], ['tee', 'socks']);
    const answer = await ask(site.id, { strategy: 'viewed_together', product_id: 'shirt', limit: 3 });
    expect(idsOf(answer)).toEqual(['jeans', 'cap', 'chinos']);
    expect(answer.sources).toEqual(['viewed_together']);
    expect(answer.items[0]).toEqual({ item_id: 'jeans', name: 'jeans', price: 30000, url: 'https://shop.example/p/jeans' });
  });

  it('bought_together: what was bought in the same orders', async () => {
    const site = await shop();
    await collect(site.id, [
      purchase(shopper(), 'o1', [{ item_id: 'jeans' }, { item_id: 'belt' }]),
      purchase(shopper(), 'o2', [{ item_id: 'jeans' }, { item_id: 'belt' }, { item_id: 'socks' }]),
      purchase(shopper(), 'o3', [{ item_id: 'shirt' }, { item_id: 'cap' }]),
    ]);
    const answer = await ask(site.id, { strategy: 'bought_together', product_id: 'jeans', limit: 2 });
    expect(idsOf(answer)).toEqual(['belt', 'socks']);
    expect(answer.sources).toEqual(['bought_together']);
  });

  it('trending: recent purchases outweigh adds to cart, which outweigh views', async () => {
    const site = await shop();
    const views = (id: string, n: number) => Array.from({ length: n }, () => viewItem(shopper(), { item_id: id }));
    // Scores: belt 5 (one purchase), socks 4 (four views), jeans 3 (one add), cap 2 (two views).
    await collect(site.id, [...views('cap', 2), ...views('socks', 4), addToCart(shopper(), { item_id: 'jeans' }), purchase(shopper(), 't1', [{ item_id: 'belt' }])]);
    const answer = await ask(site.id, { strategy: 'trending', limit: 4 });
    expect(idsOf(answer)).toEqual(['belt', 'socks', 'jeans', 'cap']);
    expect(answer.sources).toEqual(['trending']);
  });

  it('trending is ranked once a minute per isolate, refreshed in the background, never per shelf', async () => {
    const site = await shop();
    const askAt = async (now: number) => {
      const response = await sendAt(now, `/v1/recommendations?site=${site.id}&strategy=trending&limit=1`);
      expect(response.status).toBe(200);
      return idsOf((await response.json()) as Answer);
    };
    const views = (id: string, n: number) => Array.from({ length: n }, () => viewItem(shopper(), { item_id: id }));
    await collect(site.id, views('cap', 3));
    const t0 = Date.now();
    expect(await askAt(t0)).toEqual(['cap']);
    await collect(site.id, [purchase(shopper(), 'trend-1', [{ item_id: 'socks' }])]);
    // Within the minute the site's list stands, whatever happened since…
    expect(await askAt(t0 + 30_000)).toEqual(['cap']);
    // …past it, that shelf still answers from the list while a refresh reads the new ranking,
    expect(await askAt(t0 + TRENDING_CACHE_MS + 1_000)).toEqual(['cap']);
    // which the next shelf uses.
    expect(await askAt(t0 + TRENDING_CACHE_MS + 2_000)).toEqual(['socks']);
  });

  it('recently_viewed: this visitor\'s views, newest first, without the current product', async () => {
    const site = await shop();
    const me = shopper();
    await collect(site.id, ['cap', 'jeans', 'shirt', 'cap'].map((id) => viewItem(me, { item_id: id }, at())));
    await collect(site.id, [viewItem(shopper(), { item_id: 'belt' }, at())]);
    const answer = await ask(site.id, { strategy: 'recently_viewed', anon_id: me.anon_id, product_id: 'shirt', limit: 2 });
    expect(idsOf(answer)).toEqual(['cap', 'jeans']);
    expect(answer.sources).toEqual(['recently_viewed']);
  });

  it('personal: items of the categories this visitor favours, ranked by recent activity', async () => {
    const site = await shop();
    const me = shopper();
    // Bottoms: 1 view + 1 add (4). Tops: 1 view (1). Shoppers at large like chinos best.
    await collect(site.id, [viewItem(me, { item_id: 'jeans' }), addToCart(me, { item_id: 'jeans' }), viewItem(me, { item_id: 'tee' })]);
    await collect(site.id, [viewItem(shopper(), { item_id: 'chinos' }), viewItem(shopper(), { item_id: 'chinos' }), viewItem(shopper(), { item_id: 'polo' })]);
    const answer = await ask(site.id, { strategy: 'personal', anon_id: me.anon_id, limit: 4 });
    // jeans is in the cart: excluded. Bottoms first (chinos more active than shorts), then tops.
    expect(idsOf(answer).slice(0, 3)).toEqual(['chinos', 'shorts', 'polo']);
    expect(answer.sources).toEqual(['personal']);
  });

  it('personal in a big category: its trending products first, then its newest (ties by id), never the cart', async () => {
    const site = await shop();
    await uploadCatalog(site, Array.from({ length: 30 }, (_, i) => ({ item_id: `mug-${String(i).padStart(2, '0')}`, name: `머그 ${i}`, price: 9000, category: 'mugs' })));
    const me = shopper();
    await collect(site.id, [viewItem(me, { item_id: 'mug-17' }), viewItem(me, { item_id: 'mug-17' }), addToCart(me, { item_id: 'mug-01' })]);
    const answer = await ask(site.id, { strategy: 'personal', anon_id: me.anon_id, limit: 4 });
    expect(idsOf(answer)).toEqual(['mug-17', 'mug-00', 'mug-02', 'mug-03']);
    expect(answer.sources).toEqual(['personal']);
  });

  describe('exclusions', () => {
    it('leaves out the current product, the cart from events, the cart the page passes, and what the visitor bought', async () => {
      const site = await shop();
      const me = shopper();
      await collect(site.id, [addToCart(me, { item_id: 'cap' }), purchase(me, 'mine', [{ item_id: 'belt' }])]);
      const answer = await ask(site.id, { strategy: 'trending', anon_id: me.anon_id, product_id: 'shirt', cart: 'socks, tee', limit: 24 });
      const ids = idsOf(answer);
      expect(ids).toHaveLength(CATALOG.length - 5);
      for (const gone of ['shirt', 'cap', 'belt', 'socks', 'tee']) expect(ids).not.toContain(gone);
    });

    it('counts a member\'s history from another device, by user_id or a linked anonymous id', async () => {
      const site = await shop();
      const phone = shopper({ user_id: 'member-7' });
      await collect(site.id, [purchase(phone, 'p1', [{ item_id: 'jeans' }])]);
      const laptop = shopper();
      const byParam = await ask(site.id, { strategy: 'trending', anon_id: laptop.anon_id, user_id: 'member-7', limit: 24 });
      expect(idsOf(byParam)).not.toContain('jeans');
      await env.DB.prepare('INSERT INTO identity_links (site, anon_id, user_id, linked_at) VALUES (?, ?, ?, ?)').bind(site.id, laptop.anon_id, 'member-7', Date.now()).run();
      const byLink = await ask(site.id, { strategy: 'trending', anon_id: laptop.anon_id, limit: 24 });
      expect(idsOf(byLink)).not.toContain('jeans');
      expect(idsOf(await ask(site.id, { strategy: 'trending', anon_id: shopper().anon_id, limit: 24 }))).toContain('jeans');
    });

    it('follows a login across devices: what a browser viewed before its member logged in counts on their other devices', async () => {
      const site = await shop();
      const laptop = shopper();
      await collect(site.id, [viewItem(laptop, { item_id: 'jacket' }, at())]);
      // The laptop later logs in as member-8 (the identify event links it).
      await collect(site.id, [event({ ...laptop, user_id: 'member-8' }, 'login', { method: 'password' }, at())]);
      const phone = shopper();
      const asStranger = await ask(site.id, { strategy: 'recently_viewed', anon_id: phone.anon_id, limit: 3 });
      expect(asStranger.sources).not.toContain('recently_viewed');
      const asMember = await ask(site.id, { strategy: 'recently_viewed', anon_id: phone.anon_id, user_id: 'member-8', limit: 3 });
      expect(asMember.sources[0]).toBe('recently_viewed');
      expect(idsOf(asMember)[0]).toBe('jacket');
    });

    it('never recommends sold-out items, items without a name, or non-http links', async () => {
      const site = await shop();
      await uploadCatalog(site, [{ item_id: 'cap', name: 'cap', available: false }]);
      await collect(site.id, [viewItem(shopper(), { item_id: 'nameless' })]);
      // A row that slipped in before validation existed: its links are dropped, the item kept.
      await env.DB.prepare("INSERT INTO catalog (site, item_id, name, url, image_url, updated_at) VALUES (?, 'bad', 'Bad links', 'javascript:alert(1)', 'data:image/png,x', 0)").bind(site.id).run();
      const answer = await ask(site.id, { strategy: 'trending', limit: 24 });
      expect(idsOf(answer)).not.toContain('cap');
      expect(idsOf(answer)).not.toContain('nameless');
      expect(answer.items.find((i) => i.item_id === 'bad')).toEqual({ item_id: 'bad', name: 'Bad links' });
      expect(JSON.stringify(answer)).not.toMatch(/javascript:|data:/);
    });
  });

  describe('fallback chain', () => {
    it('fills a thin list from the next strategies, in chain order, without repeats', async () => {
      const site = await shop();
      await sessionsViewing(site.id, ['shirt', 'jeans']);
      await collect(site.id, [purchase(shopper(), 'o', [{ item_id: 'shirt' }, { item_id: 'cap' }]), viewItem(shopper(), { item_id: 'belt' })]);
      const answer = await ask(site.id, { strategy: 'viewed_together', product_id: 'shirt', limit: 5 });
      const ids = idsOf(answer);
      expect(ids.slice(0, 2)).toEqual(['jeans', 'cap']);
      expect(answer.sources).toEqual(['viewed_together', 'bought_together', 'trending', 'catalog']);
      expect(new Set(ids).size).toBe(5);
      expect(ids).not.toContain('shirt');
    });

    it('a later source that repeats earlier picks still fills the shelf, in chain order', async () => {
      const site = await shop();
      // viewed and bought together both give only jeans; trending leads with jeans too.
      await sessionsViewing(site.id, ['shirt', 'jeans']);
      await collect(site.id, [purchase(shopper(), 'o', [{ item_id: 'shirt' }, { item_id: 'jeans' }])]);
      await sessionsViewing(site.id, ['jeans'], ['jeans'], ['jeans'], ['cap'], ['cap']);
      const answer = await ask(site.id, { strategy: 'viewed_together', product_id: 'shirt', limit: 2 });
      expect(idsOf(answer)).toEqual(['jeans', 'cap']);
      expect(answer.sources).toEqual(['viewed_together', 'trending']);
      const wide = await ask(site.id, { strategy: 'viewed_together', product_id: 'shirt', limit: 9 });
      expect(new Set(idsOf(wide)).size).toBe(9);
      expect(idsOf(wide).slice(0, 2)).toEqual(['jeans', 'cap']);
      expect(wide.sources).toEqual(['viewed_together', 'trending', 'catalog']);
    });

    it.each(['viewed_together', 'bought_together', 'trending', 'recently_viewed', 'personal'])(
      '%s on a shop with only a catalogue still answers from the catalogue',
      async (strategy) => {
        const site = await shop();
        const answer = await ask(site.id, { strategy, anon_id: shopper().anon_id, product_id: 'shirt', limit: 4 });
        expect(answer.items).toHaveLength(4);
        expect(answer.sources).toEqual(['catalog']);
      },
    );

    it('answers an empty list for a shop with no catalogue', async () => {
      const site = await createSite();
      expect(await ask(site.id, { strategy: 'personal' })).toEqual({ strategy: 'personal', items: [], sources: [] });
    });
  });

  describe('requests', () => {
    it('defaults to trending and 8 items, and lets the browser reuse the answer briefly', async () => {
      const site = await shop();
      const response = await recommend(site.id, {});
      expect(response.headers.get('Cache-Control')).toBe('private, max-age=30');
      const answer = (await response.json()) as Answer;
      expect(answer.strategy).toBe('trending');
      expect(answer.items).toHaveLength(8);
    });

    it.each([
      [{ strategy: 'random' }, /strategy/],
      [{ limit: 0 }, /limit: must be 1 to 24/],
      [{ limit: 'many' }, /limit/],
      [{ anon_id: 'bad id!' }, /anon_id/],
      [{ cart: Array.from({ length: 51 }, (_, i) => `i${i}`).join(',') }, /cart: must name at most 50 items/],
    ])('refuses %o with a 400 that says why', async (params, message) => {
      const site = await shop();
      const response = await recommend(site.id, params as Record<string, string>);
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('invalid_query');
      expect(error.message).toMatch(message);
    });

    it('answers 404 for an unknown site and 403 for an origin the site does not allow', async () => {
      expect((await recommend('no-such-site', {})).status).toBe(404);
      const site = await shop();
      const refused = await recommend(site.id, {}, { Origin: 'https://evil.example' });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('Access-Control-Allow-Origin')).toBeNull();
      const allowed = await recommend(site.id, {}, { Origin: 'https://shop.example' });
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://shop.example');
    });
  });
});

