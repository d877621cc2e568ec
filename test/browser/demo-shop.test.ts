// The demo shop (/demo) in real Chromium against the real worker: a shopper's whole path from the
// home page to a completed order, signup, login and logout, the language switch, and the GA4
// e-commerce pushes and Touchpoint calls the shop makes on the way.
//
// Most tests block /sdk.js, as an ad blocker would: they check what the shop itself does (the
// stub's queue and window.dataLayer hold every call, in order), which must not depend on the
// tracker loading. The last test loads the real /sdk.js to show the shop is unaffected by it.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/chromium';

const SHOP = `${inject('workerUrl')}/demo/`;
const ARTIFACTS = new URL('../../test-artifacts/demo/', import.meta.url).pathname;
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 390, height: 844 };

type Json = Record<string, any>;
/** What one page held when the shopper left it (or holds now). */
type PageRecord = { url: string; dataLayer: Json[]; touchpoint: unknown[][] };
type Recorded = Window & { dataLayer?: Json[]; touchpoint?: { q?: IArguments[] }; __shopRecord?: () => PageRecord };

/** Runs in every page before the shop's scripts: on leaving a page, keeps its dataLayer and the
 * stub's queue in sessionStorage, so a journey over many page loads can be read back in order. */
function recordPages() {
  const w = window as Recorded;
  w.__shopRecord = () => ({
    url: location.href,
    dataLayer: JSON.parse(JSON.stringify(w.dataLayer ?? [])),
    touchpoint: (w.touchpoint?.q ?? []).map((args) => JSON.parse(JSON.stringify(Array.from(args)))),
  });
  addEventListener('pagehide', () => {
    const pages = JSON.parse(sessionStorage.getItem('shop-test-pages') ?? '[]');
    pages.push(w.__shopRecord!());
    sessionStorage.setItem('shop-test-pages', JSON.stringify(pages));
  });
}

/** Every page of this tab's journey so far, the current one last. */
async function journey(page: Page): Promise<PageRecord[]> {
  return page.evaluate(() => [...JSON.parse(sessionStorage.getItem('shop-test-pages') ?? '[]'), (window as Recorded).__shopRecord!()]);
}

/** The GA4 events pushed so far, in order (the `{ecommerce: null}` clearing pushes left out). */
async function events(page: Page): Promise<Json[]> {
  return (await journey(page)).flatMap((p) => p.dataLayer.filter((entry) => 'event' in entry));
}

const touchpointCalls = async (page: Page) => (await journey(page)).flatMap((p) => p.touchpoint);
const eventNamed = async (page: Page, name: string) => (await events(page)).filter((e) => e.event === name);
/** Whole-page screenshots, except where a sticky bar (the phone's buy buttons) only makes sense in the viewport. */
const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage });

let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

/** A fresh browser profile (another device), with /sdk.js blocked unless `withSdk`. */
async function newShopper({ viewport = DESKTOP, withSdk = false } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'ko-KR', isMobile: viewport === MOBILE, hasTouch: viewport === MOBILE });
  contexts.push(context);
  if (!withSdk) await context.route(/\/sdk\.js(\?|$)/, (route) => route.abort('blockedbyclient'));
  await context.addInitScript(recordPages);
  const page = await context.newPage();
  // A step that cannot happen fails at that step, well inside the test's own time limit.
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  return page;
}

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
});

describe('demo shop', () => {
  it('walks home → category → product → cart → checkout → order complete, pushing GA4 e-commerce in order', async () => {
    const page = await newShopper();
    await page.goto(SHOP);

    // Home: Korean by default, the page hints and the trending placement in the HTML.
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('ko');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('천천히, 오래 쓰는 물건');
    expect(await page.locator('meta[name="touchpoint:page-type"]').getAttribute('content')).toBe('home');
    const trending = page.locator('[data-touchpoint="recommendations"]');
    expect(await trending.getAttribute('data-strategy')).toBe('trending');
    expect(await trending.evaluate((slot) => slot.getBoundingClientRect().height)).toBeGreaterThanOrEqual(300);
    // Every generated product image is there and drawable.
    // (Decoded as fresh images: the tiles' own are lazy and offscreen ones never load.)
    const images = await page.locator('main img').evaluateAll((imgs) =>
      Promise.all((imgs as HTMLImageElement[]).map((tile) => {
        const image = new Image();
        image.src = tile.src;
        return image.decode().then(() => image.naturalWidth, () => 0);
      })),
    );
    expect(images.length).toBeGreaterThan(10);
    expect(images.every((width) => width > 0)).toBe(true);
    const homeLists = await eventNamed(page, 'view_item_list');
    expect(homeLists.map((e) => e.ecommerce.item_list_id)).toEqual(['home_best', 'home_new']);
    const firstBest = homeLists[0]!.ecommerce.items[0];
    expect(firstBest).toEqual({
      item_id: 'k-mug',
      item_name: '하루 세라믹 머그컵 350ml',
      item_brand: 'Haru Kitchen',
      item_category: '주방',
      price: 12000,
      quantity: 1,
      index: 0,
      item_list_id: 'home_best',
      item_list_name: '홈 베스트',
      image_url: `${SHOP}img/k-mug.svg`,
      url: `${SHOP}product?id=k-mug`,
    });
    await shot(page, 'home-desktop');

    // Category listing from the navigation.
    await page.getByRole('navigation', { name: '카테고리' }).getByRole('link', { name: '주방', exact: true }).click();
    await page.waitForURL(/\/demo\/category\?c=kitchen$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('주방');
    const categoryList = (await eventNamed(page, 'view_item_list')).at(-1)!.ecommerce;
    expect(categoryList.item_list_id).toBe('category_kitchen');
    expect(categoryList.items).toHaveLength(6);

    // Product page through a tile: select_item, then view_item with the product's meta hints.
    await page.getByRole('link', { name: /하루 세라믹 머그컵 350ml/ }).click();
    await page.waitForURL(/\/demo\/product\?id=k-mug$/);
    expect(await page.locator('meta[name="touchpoint:page-type"]').getAttribute('content')).toBe('product');
    expect(await page.locator('meta[name="touchpoint:item-id"]').getAttribute('content')).toBe('k-mug');
    expect(await page.locator('[data-touchpoint="recommendations"]').getAttribute('data-strategy')).toBe('viewed_together');
    const selected = (await eventNamed(page, 'select_item')).at(-1)!.ecommerce;
    expect(selected).toMatchObject({ item_list_id: 'category_kitchen', items: [{ item_id: 'k-mug', index: 0 }] });
    expect((await eventNamed(page, 'view_item')).at(-1)!.ecommerce).toMatchObject({ currency: 'KRW', value: 12000, items: [{ item_id: 'k-mug', price: 12000, quantity: 1 }] });

    // Two mugs, added with the keyboard.
    await page.getByRole('button', { name: '수량 늘리기' }).click();
    expect(await page.getByRole('spinbutton', { name: '수량' }).inputValue()).toBe('2');
    expect(await page.locator('.buy-total-amount').textContent()).toBe('24,000원');
    await page.getByRole('button', { name: '장바구니 담기' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('장바구니에 담았어요.');
    expect(await page.locator('.cart-count').textContent()).toBe('2');
    expect((await eventNamed(page, 'add_to_cart')).at(-1)!.ecommerce).toMatchObject({ currency: 'KRW', value: 24000, items: [{ item_id: 'k-mug', quantity: 2 }] });
    await shot(page, 'product-desktop');

    // Site search for a second product.
    await page.getByRole('searchbox', { name: '상품 검색' }).fill('텀블러');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/demo\/search\?q=/);
    expect(await page.locator('meta[name="touchpoint:page-type"]').getAttribute('content')).toBe('search');
    expect((await eventNamed(page, 'search')).at(-1)).toEqual({ event: 'search', search_term: '텀블러' });
    await page.getByRole('link', { name: /스테인리스 보온 텀블러/ }).click();
    await page.waitForURL(/product\?id=k-tumbler$/);
    expect(await page.locator('.price-rate').first().textContent()).toContain('14%');
    await page.getByRole('button', { name: '장바구니 담기' }).click();
    await expect.poll(() => page.locator('.cart-count').textContent()).toBe('3');

    // Cart: view_cart with both lines; one mug fewer is a remove_from_cart of one.
    await page.getByRole('link', { name: '장바구니, 상품 3개' }).click();
    await page.waitForURL(/\/demo\/cart$/);
    expect(await page.locator('[data-touchpoint="recommendations"]').getAttribute('data-strategy')).toBe('bought_together');
    expect((await eventNamed(page, 'view_cart')).at(-1)!.ecommerce).toMatchObject({
      currency: 'KRW',
      value: 48900,
      items: [{ item_id: 'k-mug', quantity: 2, price: 12000 }, { item_id: 'k-tumbler', quantity: 1, price: 24900, discount: 4100 }],
    });
    await shot(page, 'cart-desktop');
    await page.locator('.cart-line', { hasText: '하루 세라믹 머그컵' }).getByRole('button', { name: '수량 줄이기' }).click();
    expect((await eventNamed(page, 'remove_from_cart')).at(-1)!.ecommerce).toMatchObject({ value: 12000, items: [{ item_id: 'k-mug', quantity: 1 }] });
    expect(await page.locator('.summary-total dd').textContent()).toBe('36,900원');

    // Checkout: begin_checkout; an empty form is refused field by field.
    await page.getByRole('link', { name: '주문하기' }).click();
    await page.waitForURL(/\/demo\/checkout$/);
    expect((await eventNamed(page, 'begin_checkout')).at(-1)!.ecommerce).toMatchObject({ value: 36900, items: [{ item_id: 'k-mug', quantity: 1 }, { item_id: 'k-tumbler', quantity: 1 }] });
    await page.getByRole('button', { name: '36,900원 결제하기' }).click();
    expect(await page.locator('input[name="name"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('name');
    expect(page.url()).toMatch(/\/demo\/checkout$/);
    await page.getByLabel('이름').fill('김하루');
    await page.getByLabel('휴대폰 번호').fill('010-1234-5678');
    await page.getByLabel('이메일').fill('haru@example.com');
    await page.getByLabel('우편번호').fill('04524');
    await page.locator('input[name="address1"]').fill('서울특별시 중구 세종대로 110');
    await page.getByLabel('카카오페이').check();
    await page.getByLabel(/결제에 동의합니다/).check();
    await page.getByRole('button', { name: '36,900원 결제하기' }).click();

    // Order complete: purchase with the order number shown, once even when reloaded.
    await page.waitForURL(/\/demo\/order-complete\?order=HR\d{8}-\d{6}$/);
    const orderNumber = await page.locator('.order-number').textContent();
    expect(orderNumber).toMatch(/^HR\d{8}-\d{6}$/);
    expect(await page.locator('meta[name="touchpoint:page-type"]').getAttribute('content')).toBe('order_complete');
    expect(await page.locator('.cart-count').isHidden()).toBe(true);
    const purchase = (await eventNamed(page, 'purchase'))[0]!.ecommerce;
    expect(purchase).toMatchObject({ transaction_id: orderNumber, currency: 'KRW', value: 36900, shipping: 0 });
    expect(purchase.items.map((i: Json) => [i.item_id, i.quantity, i.price])).toEqual([['k-mug', 1, 12000], ['k-tumbler', 1, 24900]]);
    await page.reload();
    expect(await eventNamed(page, 'purchase')).toHaveLength(1);

    // The whole path, in order, each e-commerce event after a clearing push.
    expect((await events(page)).map((e) => e.event)).toEqual([
      'view_item_list', 'view_item_list',
      'view_item_list', 'select_item', 'view_item', 'add_to_cart',
      'search', 'view_item_list', 'select_item', 'view_item', 'add_to_cart',
      'view_cart', 'remove_from_cart',
      'begin_checkout',
      'purchase',
    ]);
    for (const { dataLayer } of await journey(page)) {
      dataLayer.forEach((entry, i) => {
        if ('ecommerce' in entry && entry.ecommerce !== null) expect(dataLayer[i - 1]).toEqual({ ecommerce: null });
      });
    }
    // A guest shopper: no identify was ever queued.
    expect((await touchpointCalls(page)).filter(([method]) => method === 'identify')).toEqual([]);
  });

  it('signs up, logs out and logs in on another device as the same member, telling Touchpoint each time', async () => {
    const page = await newShopper();
    await page.goto(`${SHOP}signup`);
    expect(await page.locator('meta[name="touchpoint:page-type"]').getAttribute('content')).toBe('account');
    await page.getByLabel('이메일').fill('Minji.Park@example.com');
    await page.getByLabel('비밀번호').fill('short');
    await page.getByLabel('이름').fill('박민지');
    await page.getByRole('button', { name: '가입하기' }).click();
    await expect.poll(() => page.locator('.field-error:not(:empty)').allTextContents()).toEqual(['8자 이상 입력해 주세요.', '동의가 필요해요.']);
    await page.getByLabel('비밀번호').fill('a-long-password');
    await page.getByLabel(/이용약관/).check();
    await page.getByLabel(/혜택 소식/).check();
    await page.getByRole('button', { name: '가입하기' }).click();
    await page.waitForURL(SHOP);
    expect(await page.locator('.topbar-greeting').textContent()).toBe('박민지님');

    const signupCalls = await touchpointCalls(page);
    expect(signupCalls).toHaveLength(2);
    const [identify, signUp] = signupCalls;
    expect(identify).toEqual(['identify', expect.stringMatching(/^member-\d{6}$/), { email: 'minji.park@example.com', name: '박민지', marketing_opt_in: true }]);
    expect(signUp).toEqual(['track', 'sign_up', { method: 'email' }]);
    const memberId = identify![1];

    // Signing up twice with the same email on this device is refused.
    await page.goto(`${SHOP}signup`);
    await page.getByLabel('이메일').fill('minji.park@example.com');
    await page.getByLabel('비밀번호').fill('a-long-password');
    await page.getByLabel('이름').fill('박민지');
    await page.getByLabel(/이용약관/).check();
    await page.getByRole('button', { name: '가입하기' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('이미 가입된 이메일이에요. 로그인해 주세요.');

    // My page shows the member id, and what the shop's back office keeps: tier, points, coupons.
    await page.getByRole('link', { name: '마이페이지' }).click();
    await page.waitForURL(/\/demo\/account$/);
    expect(await page.locator('.member-id').textContent()).toBe(memberId);
    expect(await page.locator('.member-tier').textContent()).toBe('BRONZE');
    expect(await page.locator('.member-next-tier').textContent()).toBe('SILVER까지 100,000원');
    expect(await page.locator('.member-points').textContent()).toBe('2,000');
    expect(await page.locator('.coupon-row').textContent()).toMatch(/^WELCOME10 첫 구매 10% 할인 · .+까지$/);
    await shot(page, 'account-membership');
    // ...which the shop's server side sends to Touchpoint: the member's profile holds it.
    await expect
      .poll(async () => {
        const response = await fetch(`${inject('workerUrl')}/v1/admin/sites/demo/profile?user_id=${memberId}`, { headers: { Authorization: `Bearer ${inject('adminToken')}` } });
        const body = (await response.json()) as { facts?: { points_balance: number; tier: string; next_tier: string; amount_to_next_tier: number; points_expiring: unknown[]; coupons: { code: string }[] } };
        return body.facts && { ...body.facts, coupons: body.facts.coupons.map((c) => c.code), points_expiring: body.facts.points_expiring.length };
      }, { timeout: 10_000 })
      .toMatchObject({ points_balance: 2000, tier: 'BRONZE', next_tier: 'SILVER', amount_to_next_tier: 100000, points_expiring: 1, coupons: ['WELCOME10'] });
    await page.getByRole('banner').getByRole('button', { name: '로그아웃' }).click();
    await page.waitForURL(SHOP);
    expect(await page.getByRole('link', { name: '로그인' }).isVisible()).toBe(true);
    expect((await touchpointCalls(page)).at(-1)).toEqual(['reset']);

    // Another device: logging in with the same email identifies the same member.
    const phone = await newShopper({ viewport: MOBILE });
    await phone.goto(`${SHOP}login?next=cart`);
    await phone.getByLabel('이메일').fill('minji.park@example.com');
    await phone.getByLabel('비밀번호').fill('anything');
    await phone.getByRole('button', { name: '로그인', exact: true }).click();
    await phone.waitForURL(`${SHOP}cart`);
    expect(await touchpointCalls(phone)).toEqual([
      ['identify', memberId, { email: 'minji.park@example.com', name: 'minji.park' }],
      ['track', 'login', { method: 'email' }],
    ]);
  });

  it('switches between Korean and English without reloading or re-sending events, and remembers the choice', async () => {
    const page = await newShopper();
    await page.goto(`${SHOP}product?id=f-hoodie`);
    const pushesBefore = (await events(page)).length;
    // A widget may already have rendered into the placement: switching language must keep it.
    await page.locator('[data-touchpoint]').evaluate((slot) => slot.setAttribute('data-test-marker', 'kept'));
    expect(await page.locator('.price-now').first().textContent()).toBe('49,000원');

    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Fleece-lined Hoodie');
    expect(await page.locator('.price-now').first().textContent()).toBe('₩49,000');
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('button', { name: 'Add to cart' }).isVisible()).toBe(true);
    expect(await page.title()).toBe('Fleece-lined Hoodie | Haru Store');
    expect(await page.locator('[data-touchpoint]').getAttribute('data-test-marker')).toBe('kept');
    expect((await events(page)).length).toBe(pushesBefore);

    await page.goto(SHOP);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Things made to last');
    // GA4 names stay the canonical Korean ones whatever the shopper reads.
    const best = (await eventNamed(page, 'view_item_list')).find((e) => e.ecommerce.item_list_id === 'home_best');
    expect(best!.ecommerce.items[0].item_name).toBe('하루 세라믹 머그컵 350ml');

    await page.getByRole('button', { name: '한국어' }).click();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ko');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('천천히, 오래 쓰는 물건');
  });

  it('is keyboard reachable, renders what shoppers type as text, and fits a phone screen', async () => {
    const page = await newShopper({ viewport: MOBILE });
    await page.goto(SHOP);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('본문 바로가기');

    await page.goto(`${SHOP}search?q=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('‘<img src=x onerror=alert(1)>’ 검색 결과');
    expect(await page.locator('main img').count()).toBe(0);
    expect((await eventNamed(page, 'search')).at(-1)!.search_term).toBe('<img src=x onerror=alert(1)>');

    // Phone screenshots: home, a product, a cart with something in it; nothing wider than the screen.
    const fitsScreen = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    await page.goto(SHOP);
    expect(await fitsScreen()).toBe(true);
    await shot(page, 'home-mobile');
    await page.goto(`${SHOP}product?id=s-planner`);
    await page.getByRole('button', { name: '장바구니 담기' }).click();
    await expect.poll(() => page.locator('.cart-count').textContent()).toBe('1');
    expect(await fitsScreen()).toBe(true);
    await shot(page, 'product-mobile', false);
    await page.goto(`${SHOP}cart`);
    expect(await page.locator('.cart-line').count()).toBe(1);
    expect(await fitsScreen()).toBe(true);
    await shot(page, 'cart-mobile');
  });

  it('works the same with /sdk.js as the worker serves it', async () => {
    const page = await newShopper({ withSdk: true });
    // With the real SDK the demo site's prompts may appear; a shopper closes them and goes on.
    // The handler watches the dialog itself: its host element has no box of its own, so it never
    // counts as visible even while its backdrop takes the clicks.
    await page.addLocatorHandler(page.getByRole('dialog'), async (prompt) => {
      await prompt.getByRole('button', { name: /닫기|Close/ }).first().click();
    });
    const sdk = page.waitForResponse(/\/sdk\.js$/);
    await page.goto(`${SHOP}product?id=b-toner`);
    await sdk;
    await page.getByRole('button', { name: '장바구니 담기' }).click();
    await expect.poll(() => page.locator('.cart-count').textContent()).toBe('1');
    expect((await events(page)).map((e) => e.event)).toEqual(['view_item', 'add_to_cart']);
    expect(await page.evaluate(() => typeof (window as Recorded).touchpoint)).toBe('function');
  });

  it('threw no script error on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
