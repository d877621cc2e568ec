import { describe, expect, it } from 'vitest';
import { createSite, send } from './helpers';
import { DAY, putConfig, quietConfig, rows, Shopper, siteWith, type Decision } from './shopper';

type ErrorBody = { error: { code: string; message: string } };

const immediate = { type: 'immediate' };
const mug = { item_id: 'sku-mug', item_name: '머그컵', price: 12000, image_url: 'https://cdn.example/mug.png' };
const tee = { item_id: 'sku-tee', item_name: 'Linen tee', price: 39000 };

function decideBody(site: string, overrides: Record<string, unknown> = {}) {
  return { site, anon_id: 'anon-decide-01', session_id: 'sess-decide-01', page: { url: 'https://shop.example/' }, consent: { analytics: true, marketing: true }, ...overrides };
}

describe('POST /v1/decide: the request', () => {
  it('takes text/plain and JSON and answers with overlay and inline, timed in Server-Timing', async () => {
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: immediate } }));
    for (const type of ['text/plain;charset=UTF-8', 'application/json']) {
      const response = await send('/v1/decide', { method: 'POST', headers: { 'Content-Type': type }, body: JSON.stringify(decideBody(site.id)) });
      expect(response.status).toBe(200);
      const timing = /^decide;dur=(\d+\.\d\d), d1;dur=(\d+\.\d\d), d1-sql;dur=(\d+\.\d\d)$/.exec(response.headers.get('Server-Timing') ?? '');
      expect(timing, response.headers.get('Server-Timing') ?? 'no Server-Timing').not.toBeNull();
      const [total, read, sql] = timing!.slice(1).map(Number);
      // The read is part of the handler's time, and its SQL part of the read (the clocks differ: D1's own runs in the database).
      expect(read).toBeLessThanOrEqual(total!);
      expect(sql).toBeGreaterThanOrEqual(0);
      expect(response.headers.get('Cache-Control')).toBe('no-store');
      const body = (await response.json()) as { overlay: Decision; inline: Decision[] };
      expect(body.overlay.widget).toBe('signup_benefit');
      expect(body.overlay.decision_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.inline).toEqual([]);
    }
  });

  describe('refuses bad requests with a clear error', () => {
    const cases: [string, (site: string) => string, number, string, RegExp][] = [
      ['not JSON', () => '{"site":', 400, 'invalid_json', /not valid JSON/],
      ['no anon_id', (s) => JSON.stringify(decideBody(s, { anon_id: undefined })), 400, 'invalid_request', /^anon_id: /],
      ['a javascript: page url', (s) => JSON.stringify(decideBody(s, { page: { url: 'javascript:alert(1)' } })), 400, 'invalid_request', /^page\.url: must be an absolute http\(s\) URL/],
      ['consent that is not booleans', (s) => JSON.stringify(decideBody(s, { consent: { analytics: 'yes', marketing: true } })), 400, 'invalid_request', /^consent\.analytics/],
      ['a __proto__ key', (s) => `{"__proto__": {"x": 1}, "site": "${s}"}`, 400, 'invalid_request', /__proto__/],
      ['a body over 16 KB', (s) => JSON.stringify(decideBody(s, { pad: 'x'.repeat(17_000) })), 413, 'body_too_large', /16384 bytes/],
    ];
    for (const [what, body, status, code, message] of cases) {
      it(what, async () => {
        const site = await createSite();
        const response = await send('/v1/decide', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: body(site.id) });
        expect(response.status).toBe(status);
        const error = (await response.json()) as ErrorBody;
        expect(error.error.code).toBe(code);
        expect(error.error.message).toMatch(message);
        expect(await rows('SELECT id FROM decisions WHERE site = ?', site.id)).toEqual([]);
      });
    }
  });

  it('answers 404 for an unknown site and 403 for a foreign origin; CORS for allowed origins', async () => {
    const site = await siteWith(quietConfig());
    const post = (body: unknown, origin?: string) =>
      send('/v1/decide', { method: 'POST', headers: { 'Content-Type': 'text/plain', ...(origin ? { Origin: origin } : {}) }, body: JSON.stringify(body) });
    expect((await post(decideBody('no-such-site'))).status).toBe(404);
    const foreign = await post(decideBody(site.id), 'https://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const own = await post(decideBody(site.id), 'https://shop.example');
    expect(own.status).toBe(200);
    expect(own.headers.get('Access-Control-Allow-Origin')).toBe('https://shop.example');
    const preflight = await send('/v1/decide', { method: 'OPTIONS', headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });
    expect(preflight.status).toBe(204);
  });

  it('ignores X-Touchpoint-Now unless the worker allows clock overrides', async () => {
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: immediate, schedule: { start: '2099-01-01T00:00:00Z' } } }));
    const headers = { 'Content-Type': 'text/plain', 'X-Touchpoint-Now': String(Date.UTC(2099, 5, 1)) };
    const response = await send('/v1/decide', { method: 'POST', headers, body: JSON.stringify(decideBody(site.id)) });
    expect(((await response.json()) as { overlay: unknown }).overlay).toBeNull();
    const s = new Shopper(site.id, Date.UTC(2099, 5, 1));
    expect((await s.overlay())?.widget).toBe('signup_benefit');
  });
});

describe('triggers', () => {
  it('page_views: decided once the session has that many page views (server count or the client count)', async () => {
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: { type: 'page_views', count: 3 } } }));
    const s = new Shopper(site.id);
    await s.pageView();
    await s.pageView();
    expect(await s.overlay()).toBeNull();
    await s.pageView();
    expect(await s.overlay()).toMatchObject({ widget: 'signup_benefit', trigger: { type: 'page_views', count: 3 } });
    // A new session starts counting again; the client's own count is taken too.
    s.newSession();
    expect(await s.overlay()).toBeNull();
    expect((await s.decide({}, { session_page_views: 3 })).overlay?.widget).toBe('signup_benefit');
  });

  it('return_visit: not on the first visit, decided on a later one', async () => {
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: { type: 'return_visit' } } }));
    const s = new Shopper(site.id);
    expect(await s.overlay()).toBeNull();
    await s.pageView();
    expect(await s.overlay()).toBeNull();
    s.advance(DAY).newSession();
    expect(await s.overlay()).toMatchObject({ widget: 'signup_benefit', trigger: { type: 'return_visit' } });
  });

  const armed: [string, unknown, unknown][] = [
    ['immediate', immediate, immediate],
    ['time_on_page', { type: 'time_on_page', seconds: 20 }, { type: 'time_on_page', seconds: 20 }],
    ['scroll_depth', { type: 'scroll_depth', percent: 60 }, { type: 'scroll_depth', percent: 60 }],
    ['exit_intent (with its defaults)', { type: 'exit_intent' }, { type: 'exit_intent', min_dwell_seconds: 5, mobile_fallback_seconds: 30 }],
    ['add_to_cart', { type: 'add_to_cart' }, { type: 'add_to_cart' }],
  ];
  for (const [name, trigger, returned] of armed) {
    it(`${name}: returned for the client to arm`, async () => {
      const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger } }));
      expect((await new Shopper(site.id).overlay())?.trigger).toEqual(returned);
    });
  }
});

describe('audience', () => {
  it('devices, page types and URL patterns', async () => {
    const site = await siteWith(
      quietConfig({
        signup_benefit: {
          enabled: true,
          trigger: immediate,
          audience: { devices: ['mobile'], page_types: ['product', 'category'], url_include: ['/products/*', 'https://shop.example/c/*'], url_exclude: ['/products/gift-*'] },
        },
      }),
    );
    const s = new Shopper(site.id);
    s.device = 'mobile';
    const at = async (url: string, type: string) => (await s.overlay({ url, type }))?.widget ?? null;
    expect(await at('https://shop.example/products/1', 'product')).toBe('signup_benefit');
    expect(await at('https://shop.example/c/shoes?page=2', 'category')).toBe('signup_benefit');
    expect(await at('https://shop.example/products/gift-card', 'product')).toBeNull();
    expect(await at('https://shop.example/about', 'product')).toBeNull();
    expect(await at('https://shop.example/products/1', 'cart')).toBeNull();
    s.device = 'desktop';
    expect(await at('https://shop.example/products/1', 'product')).toBeNull();
    // Without a declared device, the User-Agent says.
    const body = { site: site.id, anon_id: s.anon, session_id: s.session, page: { url: 'https://shop.example/products/1', type: 'product' }, consent: s.consent };
    const phone = await send('/v1/decide', { method: 'POST', headers: { 'User-Agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148' }, body: JSON.stringify(body) });
    expect(((await phone.json()) as { overlay: Decision | null }).overlay?.widget).toBe('signup_benefit');
  });

  it('UTM source, medium and campaign, from the page or from the session it came in on', async () => {
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: immediate, audience: { utm: { source: ['naver'], campaign: ['spring-sale'] } } } }));
    const s = new Shopper(site.id);
    expect(await s.overlay()).toBeNull();
    expect(await s.overlay({ url: 'https://shop.example/?utm_source=naver&utm_campaign=winter' })).toBeNull();
    expect((await s.overlay({ url: 'https://shop.example/?utm_source=NAVER&utm_campaign=spring-sale' }))?.widget).toBe('signup_benefit');
    await s.pageView('https://shop.example/landing?utm_source=naver&utm_medium=cpc&utm_campaign=spring-sale');
    expect((await s.overlay({ url: 'https://shop.example/products/2' }))?.widget).toBe('signup_benefit');
    s.newSession();
    expect(await s.overlay({ url: 'https://shop.example/products/2' })).toBeNull();
  });

  it('cart value range', async () => {
    const site = await siteWith(quietConfig({ cart_reminder: { enabled: true, trigger: immediate, audience: { cart_value: { min: 30000, max: 100000 } } } }));
    const s = new Shopper(site.id);
    await s.track('add_to_cart', { currency: 'KRW', items: [mug] });
    expect(await s.overlay()).toBeNull();
    await s.track('add_to_cart', { currency: 'KRW', items: [tee] });
    expect((await s.overlay())?.widget).toBe('cart_reminder');
    await s.track('add_to_cart', { currency: 'KRW', items: [{ ...tee, quantity: 2 }] });
    expect(await s.overlay()).toBeNull();
  });

  it('members or guests', async () => {
    const site = await siteWith(quietConfig({ welcome_back: { enabled: true, trigger: immediate, audience: { stages: ['prospect'], membership: 'member' } } }));
    const s = new Shopper(site.id);
    await s.pageView();
    expect(await s.overlay()).toBeNull();
    await s.identify('member-9');
    expect((await s.overlay())?.widget).toBe('welcome_back');
    s.user = undefined; // same browser, no user_id in the request: the identity link still knows
    expect((await s.overlay())?.widget).toBe('welcome_back');
  });

  it('schedule start and end', async () => {
    const start = Date.UTC(2030, 0, 1);
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: immediate, schedule: { start: '2030-01-01T09:00:00+09:00', end: '2030-01-08T00:00:00Z' } } }));
    const s = new Shopper(site.id, start - 60_000);
    expect(await s.overlay()).toBeNull();
    s.advance(2 * 60_000);
    expect((await s.overlay())?.widget).toBe('signup_benefit');
    s.advance(7 * DAY);
    expect(await s.overlay()).toBeNull();
  });

  it('stages', async () => {
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: immediate, audience: { stages: ['new'], membership: 'any' } } }));
    const s = new Shopper(site.id);
    expect(await s.overlay()).toBeNull();
    await s.track('purchase', { transaction_id: 'T-s', value: 100, items: [] });
    expect((await s.overlay())?.widget).toBe('signup_benefit');
  });
});

describe('consent', () => {
  const consentWidgets = quietConfig({
    cart_reminder: { enabled: true, trigger: immediate, priority: 100 },
    signup_benefit: { enabled: true, trigger: immediate, priority: 1, audience: { consent: 'analytics' } },
  });

  it('never decides a marketing widget without marketing consent in the request', async () => {
    const site = await siteWith(consentWidgets);
    const s = new Shopper(site.id);
    await s.track('add_to_cart', { currency: 'KRW', items: [mug] });
    expect((await s.overlay())?.widget).toBe('cart_reminder');
    s.consent = { analytics: true, marketing: false };
    expect((await s.overlay())?.widget).toBe('signup_benefit');
    s.consent = { analytics: false, marketing: false };
    expect(await s.overlay()).toBeNull();
    expect(await rows("SELECT count(*) AS n FROM decisions WHERE site = ? AND widget = 'cart_reminder'", site.id)).toEqual([{ n: 1 }]);
  });

  it('follows the profile: a refusal on record wins over what the client claims', async () => {
    const site = await siteWith(consentWidgets);
    const s = new Shopper(site.id);
    await s.track('add_to_cart', { currency: 'KRW', items: [mug] });
    await s.track('consent_update', { analytics: true, marketing: false });
    expect((await s.overlay())?.widget).toBe('signup_benefit');
    await s.advance(1000).track('consent_update', { analytics: true, marketing: true });
    expect((await s.overlay())?.widget).toBe('cart_reminder');
  });

  it('on an opt-in site, needs consent on record, not just the request', async () => {
    const site = await siteWith(consentWidgets, { consent_mode: 'opt-in' });
    const s = new Shopper(site.id);
    await s.track('add_to_cart', { currency: 'KRW', items: [mug] });
    expect((await s.overlay())?.widget).toBe('signup_benefit');
    await s.track('consent_update', { analytics: true, marketing: true });
    expect((await s.overlay())?.widget).toBe('cart_reminder');
  });
});

describe('placements and props', () => {
  it('decides the highest-priority overlay only, and inline widgets only for slots on the page', async () => {
    const site = await siteWith(
      quietConfig({
        signup_benefit: { enabled: true, trigger: immediate, priority: 10 },
        marketing_consent: { enabled: true, trigger: immediate, priority: 20 },
        recommendations: { enabled: true, settings: { strategy: 'bought_together', limit: 4 } },
        interested_product: { enabled: true, placement: 'inline', slot: 'nudge', trigger: immediate, settings: { min_views: 2 } },
      }),
    );
    const s = new Shopper(site.id);
    await s.viewItem(tee);
    await s.viewItem(tee);
    const none = await s.decide();
    expect(none.overlay?.widget).toBe('marketing_consent');
    expect(none.inline).toEqual([]);

    const body = await s.decide({ url: 'https://shop.example/products/sku-mug', type: 'product', item_id: 'sku-mug', slots: ['recommendations', 'nudge', 'unknown-slot', 'recommendations'] });
    expect(body.overlay?.widget).toBe('marketing_consent');
    expect(body.inline.map((d) => [d.slot, d.widget])).toEqual([
      ['recommendations', 'recommendations'],
      ['nudge', 'interested_product'],
    ]);
    expect(body.inline[0]!.props).toMatchObject({ strategy: 'bought_together', limit: 4, item_id: 'sku-mug', layout: 'inline' });
    expect(body.inline[1]!.props).toMatchObject({ item: { item_id: 'sku-tee', name: 'Linen tee', url: 'https://shop.example/products/sku-tee' }, views: 2 });
    const recorded = await rows<{ widget: string; placement: string; slot: string | null; stage: string; holdout: number }>(
      'SELECT widget, placement, slot, stage, holdout FROM decisions WHERE site = ? AND id IN (?, ?, ?)',
      site.id,
      body.overlay!.decision_id,
      body.inline[0]!.decision_id,
      body.inline[1]!.decision_id,
    );
    expect(recorded).toHaveLength(3);
    expect(recorded).toEqual(expect.arrayContaining([{ widget: 'interested_product', placement: 'inline', slot: 'nudge', stage: 'prospect', holdout: 0 }]));
  });

  it('a recommendations decision brings its shelf: what /v1/recommendations answers for that shopper and page', async () => {
    const site = await siteWith(quietConfig({ recommendations: { enabled: true, settings: { strategy: 'viewed_together', limit: 3 } } }));
    const cap = { item_id: 'sku-cap', item_name: 'Cap', price: 9000 };
    for (const other of [new Shopper(site.id), new Shopper(site.id)]) for (const item of [mug, tee, cap]) await other.viewItem(item);
    const s = new Shopper(site.id);
    await s.track('add_to_cart', { currency: 'KRW', items: [cap] });
    const body = await s.decide({ url: 'https://shop.example/products/sku-mug', type: 'product', item_id: 'sku-mug', slots: ['recommendations'] });
    const props = body.inline[0]!.props;
    // The mug is on screen and the cap in the cart: the tee is what is left.
    expect(props.items.map((i: { item_id: string }) => i.item_id)).toEqual(['sku-tee']);
    expect(props.items[0]).toMatchObject({ name: 'Linen tee', price: 39000 });
    const query = new URLSearchParams({ site: site.id, strategy: 'viewed_together', limit: '3', product_id: 'sku-mug', anon_id: s.anon, cart: 'sku-cap' });
    const answer = (await (await send(`/v1/recommendations?${query}`)).json()) as { items: unknown[]; sources: string[] };
    expect({ items: props.items, sources: props.sources }).toEqual({ items: answer.items, sources: answer.sources });
  });

  it("a decided shelf gathers the member's other browsers, inline or in a drawer, as /v1/recommendations does", async () => {
    const laptopSite = await siteWith(quietConfig({ recommendations: { enabled: true, settings: { strategy: 'recently_viewed', limit: 4 } } }));
    const cap = { item_id: 'sku-cap', item_name: 'Cap', price: 9000 };
    const laptop = new Shopper(laptopSite.id);
    laptop.user = 'member-shelf-1';
    for (const item of [tee, cap]) await laptop.viewItem(item);
    // The same member on a phone, logged in: nothing viewed there yet.
    const phone = laptop.onAnotherDevice();
    phone.user = 'member-shelf-1';
    await phone.track('page_view', {});
    const inline = await phone.decide({ url: 'https://shop.example/', type: 'home', slots: ['recommendations'] });
    expect(inline.inline[0]!.props.items.map((i: { item_id: string }) => i.item_id).sort()).toEqual(['sku-cap', 'sku-tee']);
    expect(inline.inline[0]!.props.sources).toEqual(['recently_viewed']);
    const query = new URLSearchParams({ site: laptopSite.id, strategy: 'recently_viewed', limit: '4', anon_id: phone.anon, user_id: 'member-shelf-1' });
    const answer = (await (await send(`/v1/recommendations?${query}`)).json()) as { items: unknown[]; sources: string[] };
    expect({ items: inline.inline[0]!.props.items, sources: inline.inline[0]!.props.sources }).toEqual({ items: answer.items, sources: answer.sources });

    // A drawer is not read ahead (it is decided rarely): it reads its shelf after the decision, the same.
    await putConfig(laptopSite.id, quietConfig({ recommendations: { enabled: true, placement: 'overlay', trigger: immediate, settings: { strategy: 'recently_viewed', limit: 4 } } }));
    const drawer = (await phone.overlay({ url: 'https://shop.example/', type: 'home' }))!;
    expect(drawer.widget).toBe('recommendations');
    expect(drawer.props.items).toEqual(answer.items);
  });

  it('cart_reminder carries the cart; interested_product skips products in the cart, bought, or on screen', async () => {
    const site = await siteWith(quietConfig({ cart_reminder: { enabled: true, trigger: immediate }, interested_product: { enabled: true, trigger: immediate, priority: 100 } }));
    const s = new Shopper(site.id);
    for (let i = 0; i < 3; i++) await s.viewItem(mug);
    for (let i = 0; i < 4; i++) await s.viewItem(tee);
    expect((await s.overlay())?.props).toMatchObject({ item: { item_id: 'sku-tee' }, views: 4 });
    expect((await s.overlay({ item_id: 'sku-tee' }))?.props.item).toMatchObject({ item_id: 'sku-mug' });
    await s.track('add_to_cart', { currency: 'KRW', items: [{ ...tee, quantity: 2 }] });
    expect((await s.overlay())?.props.item).toEqual({ item_id: 'sku-mug', name: '머그컵', price: 12000, currency: 'KRW', image_url: 'https://cdn.example/mug.png', url: 'https://shop.example/products/sku-mug' });
    await s.track('purchase', { transaction_id: 'T-m', value: 12000, items: [mug] });
    await s.track('add_to_cart', { currency: 'KRW', items: [{ ...tee, quantity: 2 }] });
    const reminder = (await s.overlay())!;
    expect(reminder.widget).toBe('cart_reminder');
    expect(reminder.props).toMatchObject({ items: [{ item_id: 'sku-tee', name: 'Linen tee', price: 39000, quantity: 2, currency: 'KRW' }], total: 78000, currency: 'KRW', cart_url: 'https://shop.example/cart' });
    expect(reminder.props.offer).toBeUndefined();
  });

  it("copy in both languages, the site theme with the variant's overrides, links made absolute", async () => {
    const site = await siteWith(
      quietConfig(
        {
          welcome_back: {
            enabled: true,
            trigger: immediate,
            audience: { stages: ['prospect'] },
            settings: { cta_url: '/new-arrivals?from=tp', offer_code: 'HELLO10' },
            variants: [{ id: 'b', copy: { ko: { title: '다시 오셨네요' }, en: { title: 'Welcome back' } }, theme: { primary: '#ff0000', radius: 0 } }],
          },
        },
        { theme: { primary: '#111111', font: 'Pretendard, sans-serif' } },
      ),
    );
    const decision = (await new Shopper(site.id).overlay({ url: 'https://m.shop.example/products/9' }))!;
    expect(decision.variant).toBe('b');
    expect(decision.props).toEqual({
      copy: { ko: { title: '다시 오셨네요' }, en: { title: 'Welcome back' } },
      theme: { primary: '#ff0000', on_primary: '#ffffff', background: '#ffffff', text: '#111827', radius: 0, font: 'Pretendard, sans-serif' },
      cta_url: 'https://m.shop.example/new-arrivals?from=tp',
      offer: { code: 'HELLO10' },
    });
  });
});

describe('holdout and variants', () => {
  it('holds out about the configured share, deterministically per visitor, recorded and not shown', async () => {
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: immediate, holdout_percent: 30 } }));
    const visitors = Array.from({ length: 300 }, () => new Shopper(site.id));
    const shown = new Map<string, boolean>();
    for (const v of visitors) shown.set(v.anon, (await v.overlay()) !== null);
    const heldOut = [...shown.values()].filter((s) => !s).length;
    // 300 visitors at 30%: 90 expected, sd 7.9; the bounds are 5 sd.
    expect(heldOut).toBeGreaterThan(90 - 40);
    expect(heldOut).toBeLessThan(90 + 40);

    const recorded = await rows<{ holdout: number; n: number }>('SELECT holdout, count(*) AS n FROM decisions WHERE site = ? GROUP BY holdout ORDER BY holdout', site.id);
    expect(recorded).toEqual([
      { holdout: 0, n: 300 - heldOut },
      { holdout: 1, n: heldOut },
    ]);
    // The same visitors get the same answer again (new sessions, so caps do not interfere).
    for (const v of visitors.slice(0, 60)) expect((await v.newSession().overlay()) !== null).toBe(shown.get(v.anon));
  }, 60_000);

  it('a holdout decision shows nothing and counts as an exposure for caps', async () => {
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: immediate, holdout_percent: 100, caps: { per_session: 1 } } }));
    const s = new Shopper(site.id);
    expect(await s.decide()).toEqual({ overlay: null, inline: [] });
    expect(await s.decide()).toEqual({ overlay: null, inline: [] });
    expect(await rows('SELECT holdout FROM decisions WHERE site = ?', site.id)).toEqual([{ holdout: 1 }]);
    expect((await s.profile()).campaigns.signup_benefit).toMatchObject({ decisions: 1, holdouts: 1, exposures: 1, session_exposures: 1 });
  });

  it('assigns variants by weight, the same one to a visitor every time, never a paused one', async () => {
    const copy = (title: string) => ({ ko: { title }, en: { title } });
    const site = await siteWith(
      quietConfig({
        signup_benefit: {
          enabled: true,
          trigger: immediate,
          caps: { per_session: null, per_day: null, lifetime: null },
          variants: [
            { id: 'a', weight: 3, copy: copy('A') },
            { id: 'b', weight: 1, copy: copy('B') },
            { id: 'paused', weight: 0, copy: copy('P') },
          ],
        },
      }),
    );
    const counts: Record<string, number> = { a: 0, b: 0, paused: 0 };
    for (let i = 0; i < 300; i++) {
      const s = new Shopper(site.id);
      const first = (await s.overlay())!;
      counts[first.variant]!++;
      expect(first.props.copy.en.title).toBe(first.variant.toUpperCase());
      if (i < 20) expect((await s.overlay())!.variant).toBe(first.variant);
    }
    expect(counts.paused).toBe(0);
    expect(counts.a).toBeGreaterThan(300 * 0.75 - 40);
    expect(counts.a).toBeLessThan(300 * 0.75 + 40);
  }, 60_000);
});

describe('decisions follow config changes', () => {
  it('switching a widget off stops it', async () => {
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: immediate } }));
    const s = new Shopper(site.id);
    expect(await s.overlay()).not.toBeNull();
    await putConfig(site.id, quietConfig({ signup_benefit: { enabled: false } }));
    expect(await s.overlay()).toBeNull();
  });
});
