// Shared by the journey tests: a site of its own per journey (so journeys never see each other's
// shoppers or config), the demo shop served for that site, shoppers as browser contexts (one per
// device) whose clock can be moved days ahead, and a screenshot of every open page when a journey fails.
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, onTestFailed } from 'vitest';
import type { SiteConfigInput } from '../../edge/contract';
import { launchChromium } from '../support/chromium';
// @ts-expect-error plain ESM build scripts, no declarations
import { DEMO_SITE, ensureSite } from '../../scripts/lib/dev-worker.mjs';

export const WORKER = inject('workerUrl');
export const OPERATOR = inject('adminToken');
export const DAY = 24 * 60 * 60 * 1000;
const ARTIFACTS = new URL('../../test-artifacts/journeys/', import.meta.url).pathname;

export let browser: Browser;
const open: Shopper[] = [];

/** Launches Chromium for the file and screenshots every open page of a failing journey. */
export function useJourneyBrowser(): void {
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const shopper of open.splice(0)) await shopper.context.close().catch(() => {});
  });
  afterAll(async () => {
    await browser?.close();
  });
}

/** Call at the start of a journey: on failure, each open page is kept as a screenshot. */
export function screenshotsOnFailure(name: string): void {
  onTestFailed(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    let n = 0;
    for (const shopper of open) {
      for (const page of shopper.context.pages()) await page.screenshot({ path: `${ARTIFACTS}${name}-${++n}.png`, fullPage: true }).catch(() => {});
    }
  });
}

/** Creates (or resets the settings of) a site for one journey; its admin token is the operator's. */
export async function createSite(id: string, settings: Record<string, unknown> = {}): Promise<string> {
  return ensureSite(WORKER, OPERATOR, id, { ...DEMO_SITE, name: `Journey ${id}`, ...settings });
}

export async function admin(site: string, path: string, init: RequestInit = {}, now?: number): Promise<Response> {
  return fetch(`${WORKER}/v1/admin/sites/${site}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${OPERATOR}`, 'Content-Type': 'application/json', ...(now ? { 'X-Touchpoint-Now': String(Math.round(now)) } : {}), ...init.headers },
  });
}

/** Every widget off but `on`, no holdout, so a journey sees exactly the widgets it is about. */
export function onlyWidgets(on: Record<string, Record<string, unknown>>, rest: Partial<SiteConfigInput> = {}): SiteConfigInput {
  const names = ['signup_benefit', 'cart_reminder', 'recommendations', 'review_prompt', 'marketing_consent', 'interested_product', 'welcome_back'];
  const widgets = Object.fromEntries(names.map((name) => [name, name in on ? { holdout_percent: 0, ...on[name] } : { enabled: false }]));
  return { ...rest, widgets } as SiteConfigInput;
}

export async function putConfig(site: string, config: SiteConfigInput): Promise<{ version: number }> {
  const response = await admin(site, '/config', { method: 'PUT', body: JSON.stringify(config) });
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json() as Promise<{ version: number }>;
}

type DemoProduct = { id: string; name: { ko: string }; price: number; brand: string; category: string; replenishDays?: number };

/** The demo shop's catalogue, uploaded as a shop would from its database. */
export async function uploadCatalogue(site: string): Promise<void> {
  const catalog = new URL('../../edge/assets/demo/js/catalog.js', import.meta.url).href;
  const { PRODUCTS } = (await import(/* @vite-ignore */ catalog)) as { PRODUCTS: DemoProduct[] };
  const items = PRODUCTS.map((p) => ({
    item_id: p.id,
    name: p.name.ko,
    price: p.price,
    currency: 'KRW',
    brand: p.brand,
    category: p.category,
    image_url: `${WORKER}/demo/img/${p.id}.svg`,
    url: `${WORKER}/demo/product?id=${p.id}`,
    ...(p.replenishDays ? { replenish_days: p.replenishDays } : {}),
  }));
  const response = await admin(site, '/catalog', { method: 'PUT', body: JSON.stringify({ items }) });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

/** One device of a shopper: a browser context showing the demo shop for `site`, whose clock (the
 * page's Date and the worker's, through X-Touchpoint-Now on its requests) runs `offset` ahead. */
export class Shopper {
  offset = 0;
  /** Whether pages of this device are expected to ask for a decision (not without consent). */
  decides = true;
  readonly problems: string[] = [];
  /** Every /v1/decide answer this device got, in order. */
  readonly decisions: { url: string; overlay: { widget: string; decision_id: string } | null; inline: { widget: string; props: any }[] }[] = [];
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(site: string, { scriptAttributes = '' } = {}): Promise<Shopper> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ko-KR' });
    const page = await context.newPage();
    const shopper = new Shopper(context, page);
    open.push(shopper);
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => shopper.problems.push(`${page.url()}: ${error.message}`));
    context.on('response', async (response) => {
      if (!response.url().endsWith('/v1/decide') || !response.ok()) return;
      const url = (JSON.parse(response.request().postData() ?? '{}') as { page?: { url?: string } }).page?.url ?? '';
      // A page left at once may take its answer with it; that view then has no decision to look at.
      const body = await response.json().catch(() => null);
      if (body) shopper.decisions.push({ url, ...body });
    });
    // The demo pages name site `demo` in their script tag; this journey's shop is its own site.
    await context.route(`${WORKER}/demo/**`, async (route) => {
      if (route.request().resourceType() !== 'document') return route.fallback();
      const response = await route.fetch();
      const html = (await response.text()).replace('data-site="demo"', `data-site="${site}" ${scriptAttributes}`);
      await route.fulfill({ response, body: html });
    });
    await context.route(`${WORKER}/v1/**`, (route) =>
      route.fallback({ headers: { ...route.request().headers(), 'x-touchpoint-now': String(Date.now() + shopper.offset) } }),
    );
    return shopper;
  }

  /** Moves this device's clock (and the worker's, for its requests) `days` ahead. */
  async advance(days: number): Promise<void> {
    this.offset += days * DAY;
    await this.context.clock.setSystemTime(Date.now() + this.offset);
  }

  now(): number {
    return Date.now() + this.offset;
  }

  /** Opens a demo page and waits for its decision (a site in opt-in mode may decide nothing). */
  async goto(path: string, { decide = this.decides } = {}): Promise<void> {
    const before = this.decisions.length;
    await this.page.goto(`${WORKER}/demo/${path}`);
    await this.page.waitForFunction(() => (window as unknown as { touchpoint: { loaded?: boolean } }).touchpoint.loaded === true);
    if (decide) await expect.poll(() => this.decisions.length, { timeout: 10_000 }).toBeGreaterThan(before);
  }

  /** The overlay decided for the page shown now, if any. */
  lastOverlay(): string | null {
    return this.decisions.at(-1)?.overlay?.widget ?? null;
  }

  /** The overlay widget `name` as mounted by the SDK (its open shadow root is pierced by locators). */
  overlay(name: string) {
    return this.page.locator(`[data-touchpoint-widget="${name}"]`);
  }

  /** On a product page: puts it in the cart as a shopper does. */
  async addToCart(productId: string): Promise<void> {
    await this.goto(`product?id=${productId}`);
    await this.page.getByRole('button', { name: '장바구니 담기' }).click();
    await expect.poll(() => this.page.getByRole('status').textContent()).toContain('장바구니에 담았어요.');
  }

  /** From the cart page through checkout to the order-complete page; returns the order number. */
  async checkOut(): Promise<string> {
    if (!/\/demo\/cart/.test(this.page.url())) await this.goto('cart');
    await this.page.getByRole('link', { name: '주문하기' }).click();
    await this.page.waitForURL(/\/demo\/checkout$/);
    await this.page.getByLabel('이름').fill('김하루');
    await this.page.getByLabel('휴대폰 번호').fill('010-1234-5678');
    await this.page.getByLabel('이메일').fill('haru@example.com');
    await this.page.getByLabel('우편번호').fill('04524');
    await this.page.locator('input[name="address1"]').fill('서울특별시 중구 세종대로 110');
    await this.page.getByLabel(/결제에 동의합니다/).check();
    await this.page.getByRole('button', { name: /결제하기$/ }).click();
    await this.page.waitForURL(/\/demo\/order-complete\?order=/);
    const order = (await this.page.locator('.order-number').textContent())!;
    await this.flush();
    return order;
  }

  /** What the SDK keeps in this page's IndexedDB store (the visitor record and waiting events). */
  private stored(): Promise<{ key: string; value: any }[]> {
    return this.page.evaluate(
      () =>
        new Promise<{ key: string; value: any }[]>((resolve, reject) => {
          const site = document.querySelector<HTMLScriptElement>('script[data-site]')!.dataset.site!;
          const request = indexedDB.open(`touchpoint-${site}`);
          request.onupgradeneeded = () => request.result.createObjectStore('outbox');
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            const store = request.result.transaction('outbox').objectStore('outbox');
            const keys = store.getAllKeys();
            const values = store.getAll();
            values.onsuccess = () => {
              request.result.close();
              resolve(keys.result.map((key, i) => ({ key: String(key), value: values.result[i] })));
            };
          };
        }),
    );
  }

  /** Events waiting in the outbox (not yet accepted by the worker). */
  async waiting(): Promise<number> {
    return (await this.stored()).filter((entry) => entry.key !== '~visitor').length;
  }

  /** Waits until the SDK has delivered every event of this page. */
  async flush(): Promise<void> {
    await expect.poll(() => this.waiting(), { timeout: 30_000, interval: 250 }).toBe(0);
  }

  /** The consent choice the SDK has stored for this visitor, once it has stored one. */
  async storedConsent(): Promise<{ analytics: boolean; marketing: boolean } | undefined> {
    return (await this.stored()).find((entry) => entry.key === '~visitor')?.value.consent;
  }

  async anonId(): Promise<string> {
    await expect.poll(async () => (await this.stored()).some((entry) => entry.key === '~visitor')).toBe(true);
    return (await this.stored()).find((entry) => entry.key === '~visitor')!.value.anon;
  }
}
