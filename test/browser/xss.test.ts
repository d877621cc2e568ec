// Cross-site scripting through the real path: script payloads in config copy, in the uploaded
// catalogue and in the items a browser's events report travel through the worker (config PUT,
// catalog PUT, /v1/collect -> D1) to /v1/decide and /v1/recommendations, and the SDK mounts the
// real widgets on a served shop page. They must render as text, run nothing, and no `javascript:`
// URL may reach an attribute inside any widget's shadow root.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
// @ts-expect-error plain ESM build scripts, no declarations
import { ensureSite } from '../../scripts/lib/dev-worker.mjs';
import { launchChromium } from '../support/chromium';
import { waitForEmptyOutbox } from '../support/sdk-page';
import { startShopServer, STUB, type ShopServer } from '../support/shop-server';

const workerUrl = inject('workerUrl');
const token = inject('adminToken');
const SITE = 'xss-shop';

const PAYLOADS = ['<img src=x onerror=window.__xss=1>', '"><svg onload=window.__xss=1>', '</style><script>window.__xss=1</script>', "'-window.__xss=1-'"];
const JS_URLS = ['javascript:window.__xss=1', ' JaVaScRiPt:window.__xss=1', 'java\tscript:window.__xss=1', 'data:text/html,<script>window.__xss=1</script>'];

let browser: Browser;
let shop: ShopServer;

async function admin(path: string, method: string, body: unknown) {
  const response = await fetch(`${workerUrl}/v1/admin/sites/${SITE}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

const copy = (n: number) => ({ title: `${PAYLOADS[n % 4]} title`, body: `${PAYLOADS[(n + 1) % 4]} body`, cta: `${PAYLOADS[(n + 2) % 4]} cta` });

beforeAll(async () => {
  [browser, shop] = await Promise.all([launchChromium(), startShopServer()]);
  await ensureSite(workerUrl, token, SITE, { allowed_origins: ['http://localhost:*'], consent_mode: 'opt-out', rate: { events_per_second: 100_000, burst: 1_000_000 } });
  const off = { enabled: false, holdout_percent: 0 };
  await admin('/config', 'PUT', {
    overlays: { min_gap_minutes: 0 },
    widgets: {
      signup_benefit: off,
      review_prompt: off,
      marketing_consent: off,
      interested_product: off,
      welcome_back: off,
      cart_reminder: {
        enabled: true,
        holdout_percent: 0,
        trigger: { type: 'immediate' },
        caps: { per_session: null, per_day: null },
        variants: [{ id: 'evil', copy: { ko: copy(0), en: copy(1) } }],
        settings: { offer_code: PAYLOADS[0], cart_url: '/cart?x="><script>window.__xss=1</script>' },
      },
      recommendations: { enabled: true, holdout_percent: 0, settings: { strategy: 'trending', limit: 8 }, variants: [{ id: 'evil', copy: { ko: copy(2), en: copy(3) } }] },
    },
  });
  // Uploaded URLs must be http(s) (the catalogue refuses others); names carry the payloads.
  await admin('/catalog', 'PUT', {
    items: PAYLOADS.map((name, i) => ({
      item_id: `evil-${i}`,
      name,
      price: 1000 + i,
      currency: 'KRW',
      category: name,
      brand: name,
      url: `https://shop.example/p/${i}?q="><img src=x onerror=window.__xss=1>`,
      image_url: `https://shop.example/img/${i}.png?"onerror="window.__xss=1`,
    })),
  });
});
afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

/** JSON for inside a <script> element (a `</script>` in a payload must not end it). */
const inScript = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** A shop page of the xss site with a recommendations slot; `head` runs before the SDK. */
const page = (head = '') =>
  shop.page(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>XSS shop</title>${STUB}${head}
<script async src="${workerUrl}/sdk.js" data-site="${SITE}"></script></head>
<body><h1>Shop</h1><div data-touchpoint="recommendations"></div></body></html>`);

/** Everything the page's widgets hold: text, URL-bearing attributes, and elements made from payloads. */
function inspectWidgets(p: Page) {
  return p.evaluate(() => {
    const hosts = [...document.querySelectorAll('*')].filter((el) => el.shadowRoot);
    const urls: string[] = [];
    let injected = 0;
    let text = '';
    for (const host of hosts) {
      const root = host.shadowRoot!;
      text += root.textContent ?? '';
      for (const el of root.querySelectorAll('*')) {
        for (const attr of el.getAttributeNames()) {
          if (/^(href|src|srcset|action|formaction|xlink:href|poster|data)$/i.test(attr)) urls.push(el.getAttribute(attr) ?? '');
          if (/^on/i.test(attr)) injected++;
        }
        if (/^(script|iframe|object|embed)$/i.test(el.tagName)) injected++;
        if (el.tagName.toLowerCase() === 'img' && el.getAttribute('src') === 'x') injected++;
      }
    }
    return { hosts: hosts.map((h) => h.getAttribute('data-touchpoint-widget') ?? h.getAttribute('data-touchpoint') ?? h.tagName), urls, injected, text, xss: (window as unknown as { __xss?: unknown }).__xss };
  });
}

describe('widgets render hostile text from config, catalogue and events as text', () => {
  it('cart reminder (event items, config copy, offer code) and recommendations (catalogue names)', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const problems: string[] = [];
    const tab = await context.newPage();
    tab.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    tab.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));

    // The browser reports cart items of its own making: names are payloads, URLs break out of quotes.
    const items = PAYLOADS.map((name, i) => ({
      item_id: `cart-${i}`,
      item_name: name,
      item_brand: name,
      item_variant: name,
      price: 5000,
      quantity: 1,
      url: `https://shop.example/p/${i}?q="><img src=x onerror=window.__xss=1>`,
      image_url: `https://shop.example/i/${i}.png?"onerror="window.__xss=1`,
    }));
    // ...and items whose link is a javascript: URL: the collector stores those events without the
    // link (never stored) and counts each drop for the site's tagging report.
    const jsItems = JS_URLS.map((link, i) => ({ item_id: `js-${i}`, item_name: 'js', price: 1, quantity: 1, url: link }));
    const rejected: string[] = [];
    tab.on('response', async (response) => {
      if (response.url().endsWith('/v1/inbox')) rejected.push(...((await response.json().catch(() => ({}))).rejected ?? []).map((r: { reason: string }) => r.reason));
    });
    const droppedUrls = async () => {
      const response = await fetch(`${workerUrl}/v1/admin/sites/${SITE}/tagging`, { headers: { Authorization: `Bearer ${token}` } });
      const { issues } = (await response.json()) as { issues: { event_name: string; field: string; count: number }[] };
      return issues.find((issue) => issue.event_name === 'add_to_cart' && issue.field === 'items[].url')?.count ?? 0;
    };
    const url = page(`<script>touchpoint('track', 'add_to_cart', ${inScript({ currency: 'KRW', value: 20000, items })});
${jsItems.map((item) => `touchpoint('track', 'add_to_cart', ${inScript({ currency: 'KRW', value: 1, items: [item] })});`).join('\n')}
touchpoint('track', 'view_item', ${inScript({ currency: 'KRW', items: [{ item_id: 'evil-0', item_name: PAYLOADS[0], price: 1000 }] })});</script>`);
    await tab.goto(url);
    await waitForEmptyOutbox(tab);
    await expect.poll(droppedUrls, { timeout: 15_000 }).toBeGreaterThanOrEqual(JS_URLS.length);
    expect(rejected, 'events kept, the javascript: URLs dropped').toEqual([]);
    // The next page view decides with the cart on record.
    await tab.goto(url + 'next');
    await tab.waitForFunction(() => [...document.querySelectorAll('[data-touchpoint-widget]')].some((h) => h.getAttribute('data-touchpoint-widget') === 'cart_reminder'), null, { timeout: 20_000 });
    await expect
      .poll(async () => (await inspectWidgets(tab)).text, { timeout: 20_000 })
      .toContain(PAYLOADS[3]);
    await tab.waitForTimeout(500); // any onerror/onload would have fired by now

    const seen = await inspectWidgets(tab);
    expect(seen.xss, 'no payload ran').toBeUndefined();
    expect(problems).toEqual([]);
    expect(seen.injected, 'no element or handler made from a payload').toBe(0);
    for (const payload of PAYLOADS) expect(seen.text, `shown as text: ${payload}`).toContain(payload);
    expect(seen.urls.length).toBeGreaterThan(0);
    for (const link of seen.urls) expect(link.trim(), 'only http(s) URLs in widgets').toMatch(/^https?:\/\//i);
    expect(seen.urls.join(' ')).not.toMatch(/javascript:|data:text/i);
    console.log(`[xss] widgets ${[...new Set(seen.hosts)].join(', ')}: ${seen.urls.length} URLs checked, ${PAYLOADS.length} payloads shown as text, none ran`);
    await context.close();
  });
});
