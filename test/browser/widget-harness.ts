// A shop page for widget tests: a tiny HTTP server on an http://localhost origin (a real one:
// Chromium's local-network checks refuse loopback fetches from pages that only a test router
// served), which import()s the real widget modules from the real worker, as the SDK will, and
// mounts them with a host whose track() records events into window.__events.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
// @ts-expect-error plain ESM build scripts, no declarations
import { ensureSite } from '../../scripts/lib/dev-worker.mjs';

/** The shop's origin, once startShop() has run. */
export let SHOP = 'http://localhost:0';
export const SITE = 'widgets-test';
export const DESKTOP = { width: 1280, height: 800 };
export const MOBILE = { width: 390, height: 844 };

export interface TrackedWidgetEvent {
  name: string;
  props: Record<string, unknown>;
  decision_id: string;
  widget: string;
}

export function decision(widget: string, props: Record<string, unknown>, id = `dec-${widget.replace(/_/g, '-')}-0001`) {
  return { decision_id: id, widget, variant: 'a', trigger: { type: 'immediate' }, props };
}

/** Product artwork for the catalogue and fixtures: soft tiles in a few colours, no text. */
function productSvg(seed: string): string {
  const palettes = [['#f4e9dd', '#c8a27c'], ['#e3ecf5', '#6b8fb8'], ['#eef3e6', '#7fa36b'], ['#f6e6ea', '#c47a8a'], ['#ece8f5', '#8a7bb8'], ['#f3f0e2', '#b8a24f']];
  const n = [...seed].reduce((a, c) => a + c.charCodeAt(0), 0);
  const [bg, fg] = palettes[n % palettes.length]!;
  const shape = n % 3 === 0
    ? `<rect x="70" y="60" width="100" height="120" rx="18" fill="${fg}"/><rect x="170" y="90" width="26" height="60" rx="13" fill="none" stroke="${fg}" stroke-width="12"/>`
    : n % 3 === 1
      ? `<path d="M70 70l30-20h40l30 20 25 35-25 15-10-10v85H80v-85l-10 10-25-15z" fill="${fg}"/>`
      : `<circle cx="120" cy="115" r="60" fill="${fg}"/><circle cx="120" cy="115" r="28" fill="${bg}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240"><rect width="240" height="240" fill="${bg}"/>${shape}</svg>`;
}
export const image = (name: string) => `${SHOP}/img/${encodeURIComponent(name)}.svg`;

const PAGE = (lang: string, workerUrl: string) => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harness shop</title>
<style>
  body { margin: 0; font: 16px/1.5 Georgia, serif; color: #333; background: #fafaf7; }
  header { display: flex; justify-content: space-between; align-items: center; padding: 18px 32px; border-bottom: 1px solid #e5e5e0; background: #fff; }
  header b { font-size: 22px; letter-spacing: .08em; }
  main { max-width: 1100px; margin: 0 auto; padding: 28px 24px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 20px; }
  .tile { background: #fff; border: 1px solid #eee; border-radius: 6px; padding: 12px; }
  .tile div { aspect-ratio: 1; background: #eee9e0; border-radius: 4px; margin-bottom: 8px; }
  #below { margin-top: 1600px; }
  /* The documented way to reserve the shelf's space before any widget code has loaded. */
  [data-touchpoint="recommendations"] { min-height: 318px; }
  @media (max-width: 640px) { [data-touchpoint="recommendations"] { min-height: 282px; } }
  /* A shop's careless global CSS: the widgets must not be bent by it. */
  button { all: unset; } * { letter-spacing: .02em; } h2 { color: red; font-family: "Comic Sans MS"; }
</style></head>
<body>
<header><b>MAISON</b><nav><button id="opener" tabindex="0">Menu</button> <a id="after" href="#top">Cart (2)</a></nav></header>
<main>
  <h1>Everyday ceramics</h1>
  <div class="grid">${Array.from({ length: 8 }, (_, i) => `<div class="tile"><div></div>Item ${i + 1}<br>₩${(i + 2) * 6000}</div>`).join('')}</div>
  <section style="margin-top:32px"><div id="slot" data-touchpoint="recommendations" data-strategy="viewed_together"></div></section>
  <p>After the shelf.</p>
  <div id="below"><div id="slot-below" data-touchpoint="recommendations" data-strategy="trending"></div><p id="after-below">End of page.</p></div>
</main>
<script type="module">
  window.__events = [];
  window.__xss = false;
  window.alert = () => { window.__xss = true; };
  window.__mount = async (name, decision, opts = {}) => {
    const mod = await import('${workerUrl}/widgets/' + name + '.js');
    const host = {
      lang: opts.lang ?? document.documentElement.lang,
      endpoint: '${workerUrl}',
      site: '${SITE}',
      anonId: opts.anonId ?? 'anon-harness-0001',
      userId: opts.userId ?? null,
      cart: opts.cart,
      track(eventName, props) { window.__events.push({ name: eventName, props: props ?? {}, decision_id: decision.decision_id, widget: decision.widget }); },
    };
    window.__unmount = mod.mount({ decision, host, slot: opts.slot ? document.querySelector(opts.slot) : null });
  };
</script>
</body></html>`;

let server: Server | undefined;

/** Starts the shop server (once per test file): /harness?lang=ko|en and /img/<name>.svg. */
export async function startShop(): Promise<string> {
  const workerUrl = inject('workerUrl');
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/img/')) {
      response.writeHead(200, { 'Content-Type': 'image/svg+xml' });
      return response.end(productSvg(decodeURIComponent(url.pathname)));
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(PAGE(url.searchParams.get('lang') === 'en' ? 'en' : 'ko', workerUrl));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  SHOP = `http://localhost:${(server.address() as AddressInfo).port}`;
  return SHOP;
}

export function stopShop(): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

export interface HarnessOptions {
  lang?: 'ko' | 'en';
  viewport?: { width: number; height: number };
  reducedMotion?: 'reduce' | 'no-preference';
}

export async function openHarness(browser: Browser, options: HarnessOptions = {}): Promise<{ context: BrowserContext; page: Page; dialogs: string[] }> {
  const viewport = options.viewport ?? DESKTOP;
  const mobile = viewport.width < 600;
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: mobile ? 2 : 1,
    isMobile: mobile,
    hasTouch: mobile,
    reducedMotion: options.reducedMotion ?? 'reduce',
    locale: options.lang === 'en' ? 'en-US' : 'ko-KR',
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (err) => dialogs.push(`pageerror: ${err.message}`));
  await page.goto(`${SHOP}/harness?lang=${options.lang ?? 'ko'}`);
  return { context, page, dialogs };
}

export async function mount(page: Page, widget: string, props: Record<string, unknown>, opts: Record<string, unknown> = {}) {
  const d = decision(widget, props);
  await page.evaluate(([name, dec, o]) => (window as unknown as { __mount(n: unknown, d: unknown, o: unknown): Promise<void> }).__mount(name, dec, o), [widget, d, opts] as const);
  return d;
}

export function events(page: Page): Promise<TrackedWidgetEvent[]> {
  return page.evaluate(() => (window as unknown as { __events: TrackedWidgetEvent[] }).__events);
}

/** Waits until `count` events named `name` were tracked, and returns them. */
export async function waitForEvents(page: Page, name: string, count = 1): Promise<TrackedWidgetEvent[]> {
  await page.waitForFunction(([n, c]) => (window as unknown as { __events: { name: string }[] }).__events.filter((e) => e.name === n).length >= c, [name, count] as const);
  return (await events(page)).filter((e) => e.name === name);
}

/** The element focus is really on, through shadow roots: "tag.class" or the id. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return 'none';
    return el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}${el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : ''}`;
  });
}

/** Every href and src inside every widget's shadow root. */
export function widgetUrls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const urls: string[] = [];
    for (const host of document.querySelectorAll('[data-touchpoint-widget], [data-touchpoint]')) {
      for (const el of host.shadowRoot?.querySelectorAll('[href], [src]') ?? []) urls.push(el.getAttribute('href') ?? el.getAttribute('src') ?? '');
    }
    return urls;
  });
}

/** Sets up the test site on the worker: allowed from any localhost port, with a catalogue. */
export async function ensureTestSite(catalog: Record<string, unknown>[]): Promise<void> {
  const workerUrl = inject('workerUrl');
  const token = inject('adminToken');
  await ensureSite(workerUrl, token, SITE, { allowed_origins: ['http://localhost:*'], rate: { events_per_second: 100_000, burst: 1_000_000 } });
  const response = await fetch(`${workerUrl}/v1/admin/sites/${SITE}/catalog`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ items: catalog }),
  });
  if (!response.ok) throw new Error(`catalog upload: ${response.status} ${await response.text()}`);
}

/** One test file's shop server and browser, and `withPage`: a fresh page on the shop for each test
 * that must end with no alert, dialog or page error. `setup` runs once the shop is up. */
export function useHarness(setup?: () => Promise<void>) {
  let browser: Browser;
  beforeAll(async () => {
    await startShop();
    await setup?.();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stopShop();
  });
  return {
    browser: () => browser,
    async withPage(fn: (page: Page) => Promise<void>, options: HarnessOptions = {}): Promise<void> {
      const { context, page, dialogs } = await openHarness(browser, options);
      try {
        await fn(page);
        expect(dialogs).toEqual([]);
      } finally {
        await context.close();
      }
    },
  };
}
