// The journey's touch points in the demo shop: a shopper reaches each one by clicking through the
// demo (its "shop server" sends points, tier and coupons as a back office would), sees it, uses it
// by keyboard alone, and the worker records its impression and what the shopper did. Each card
// is screenshotted in Korean at desktop and phone size into test-artifacts/touchpoints/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryD1 } from '../support/local-d1';
import { createSite, putConfig, screenshotsOnFailure, Shopper, uploadCatalogue, useJourneyBrowser } from './journey-support';

const OUT = join(process.cwd(), 'test-artifacts', 'touchpoints');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
useJourneyBrowser();

/** A site of its own (a `demo-*` copy, which the demo's stand-in shop server sends to) running one
 * campaign of `template`, shown on category pages: product pages, the cart and checkout stay
 * free for the shopping that sets the scene. */
async function siteFor(template: string, extra: Record<string, unknown> = {}): Promise<string> {
  const site = `demo-tp-${template.replace(/_/g, '-')}-${Date.now().toString(36)}`;
  await createSite(site);
  await putConfig(site, {
    overlays: { min_gap_minutes: 0 },
    campaigns: [
      {
        id: `tp-${template}`,
        name: template,
        template,
        holdout_percent: 0,
        trigger: { type: 'immediate' },
        caps: { per_session: null, per_day: null, lifetime: null, dismiss_cooldown_hours: 0 },
        ...extra,
        audience: { page_types: ['category'], ...(extra.audience as object) },
      },
    ],
  } as never);
  return site;
}

async function signUp(s: Shopper): Promise<void> {
  await s.goto('signup');
  await s.page.getByLabel('이메일').fill(`tp-${crypto.randomUUID().slice(0, 8)}@example.com`);
  await s.page.getByLabel('비밀번호').fill('correct horse');
  await s.page.getByLabel('이름').fill('김하루');
  await s.page.getByLabel(/이용약관/).check();
  await s.page.getByRole('button', { name: '가입하기' }).click();
  await s.page.waitForURL((url) => !url.pathname.endsWith('/signup'));
  await s.flush();
}

/** Pages through the shop (each page syncs the member's facts) until the card is decided on a category page. */
async function reach(s: Shopper, template: string, category = 'kitchen') {
  for (let attempt = 0; attempt < 5 && s.lastOverlay() !== template; attempt++) {
    await s.goto('');
    await s.page.waitForTimeout(300);
    await s.goto(`category?c=${category}`);
  }
  expect(s.lastOverlay()).toBe(template);
  const card = s.overlay(template);
  await expect.poll(() => card.getByRole('dialog').isVisible()).toBe(true);
  return card;
}

async function screenshots(s: Shopper, template: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await s.page.evaluate(() => document.fonts.ready);
  await s.page.screenshot({ path: join(OUT, `${template}-ko-desktop.png`) });
  await s.page.setViewportSize(PHONE);
  await s.page.waitForTimeout(200);
  const panel = s.overlay(template).locator('.tp-panel');
  const box = (await panel.boundingBox())!;
  // A bottom sheet on phones, at most half the screen high.
  expect(box.y + box.height).toBeCloseTo(PHONE.height, 0);
  expect(box.height).toBeLessThanOrEqual(PHONE.height / 2 + 1);
  await s.page.screenshot({ path: join(OUT, `${template}-ko-mobile.png`) });
  await s.page.setViewportSize(DESKTOP);
}

/** Moves focus with Tab alone until the card's control named `label` has it, then presses Enter. */
async function keyboardActivate(s: Shopper, template: string, label: string): Promise<void> {
  for (let i = 0; i < 12; i++) {
    await s.page.keyboard.press('Tab');
    const focused = await s.page.evaluate((t) => document.querySelector(`[data-touchpoint-widget="${t}"]`)?.shadowRoot?.activeElement?.textContent ?? null, template);
    if (focused?.includes(label)) {
      await s.page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`Tab never reached "${label}" in ${template}`);
}

/** The widget events the worker stored for this site, as `name:target-or-reason`, sorted (the
 * shopper's clock moved days ahead: server-corrected times of two pages need not keep their order). */
function widgetEvents(site: string, template: string): string[] {
  return queryD1<{ name: string; detail: string | null }>(
    `SELECT name, coalesce(props ->> '$.target', props ->> '$.reason') AS detail FROM events
     WHERE site = '${site}' AND name LIKE 'widget_%' AND props ->> '$.widget' = '${template}'`,
  )
    .map((e) => (e.detail ? `${e.name}:${e.detail}` : e.name))
    .sort();
}

/** Dismisses the card by keyboard ("later") and checks the worker recorded the impression and the dismissal. */
async function dismissAndCheck(s: Shopper, site: string, template: string, later: string) {
  await keyboardActivate(s, template, later);
  await expect.poll(() => s.overlay(template).count()).toBe(0);
  await s.flush();
  await expect.poll(() => widgetEvents(site, template), { timeout: 15_000 }).toEqual(['widget_dismiss:later', 'widget_impression']);
  expect(s.problems).toEqual([]);
}

describe('journey: the touch points of the customer journey, in the demo shop', () => {
  it('welcome: a new member sees the welcome with the sign-up coupon the shop issued', async () => {
    screenshotsOnFailure('tp-welcome');
    const site = await siteFor('welcome');
    const s = await Shopper.open(site);
    await signUp(s);
    const card = await reach(s, 'welcome');
    expect(await card.getByRole('heading').textContent()).toBe('가입을 환영해요!');
    await expect.poll(() => card.getByText('WELCOME10').count()).toBe(1);
    await screenshots(s, 'welcome');
    await dismissAndCheck(s, site, 'welcome', '계속 둘러보기');
  });

  it('benefit_expiry: twelve days after signing up, the unused coupon with its code and the time left', async () => {
    screenshotsOnFailure('tp-benefit-expiry');
    const site = await siteFor('benefit_expiry');
    const s = await Shopper.open(site);
    await signUp(s);
    await s.goto('');
    await s.advance(12);
    const card = await reach(s, 'benefit_expiry');
    expect(await card.getByRole('heading').textContent()).toBe('첫 구매 10% 할인 쿠폰이 곧 사라져요');
    expect(await card.getByText('WELCOME10').count()).toBe(1);
    // Two days after the twelfth, less the seconds the pages took: never rounded up to two.
    expect(await card.getByText(/^1일 2[23]시간 남음$/).count()).toBe(1);
    await screenshots(s, 'benefit_expiry');
    await dismissAndCheck(s, site, 'benefit_expiry', '다음에 할게요');
  });

  it('second_purchase: four days after the first order, thanks and an offer for the second', async () => {
    screenshotsOnFailure('tp-second-purchase');
    const site = await siteFor('second_purchase', { settings: { offer_code: 'AGAIN5000', cta_url: '/demo/product?id=k-tumbler' } });
    const s = await Shopper.open(site);
    await s.addToCart('k-mug');
    await s.checkOut();
    await s.advance(4);
    const card = await reach(s, 'second_purchase');
    expect(await card.getByRole('heading').textContent()).toBe('첫 구매 고마워요!');
    expect(await card.getByText('AGAIN5000').count()).toBe(1);
    await screenshots(s, 'second_purchase');
    // The main link by keyboard: it is followed, and the click recorded.
    await keyboardActivate(s, 'second_purchase', '혜택 받고 쇼핑하기');
    await s.page.waitForURL(/id=k-tumbler/);
    await s.flush();
    await expect.poll(() => widgetEvents(site, 'second_purchase'), { timeout: 15_000 }).toEqual(['widget_click:cta', 'widget_impression']);
    expect(s.problems).toEqual([]);
  });

  it('stamp_mission: after the second order, a card with the two of five stamps the shop counted, and the next reward', async () => {
    screenshotsOnFailure('tp-stamp-mission');
    // The stamps the demo's back office counts (stamps_updated), not Touchpoint's own order count.
    const site = await siteFor('stamp_mission', { settings: { stamps_from: 'shop' } });
    const s = await Shopper.open(site);
    await signUp(s);
    for (const product of ['k-mug', 's-pens']) {
      await s.addToCart(product);
      await s.checkOut();
    }
    const card = await reach(s, 'stamp_mission');
    expect(await card.getByRole('heading').textContent()).toBe('스탬프 2개를 모았어요');
    expect(await card.getByRole('list', { name: '스탬프 5개 중 2개' }).count()).toBe(1);
    expect(await card.getByText('다음 스탬프(3번째 주문): 무료배송 쿠폰').count()).toBe(1);
    await screenshots(s, 'stamp_mission');
    await dismissAndCheck(s, site, 'stamp_mission', '다음에 할게요');
  });

  it('membership_tier: close to the next tier with the spend still needed, then a congratulation on moving up', async () => {
    screenshotsOnFailure('tp-membership-tier');
    const site = await siteFor('membership_tier');
    const s = await Shopper.open(site);
    await signUp(s);
    await s.addToCart('k-kettle');
    await s.addToCart('k-board');
    await s.checkOut(); // 83,000원 spent: BRONZE, 17,000원 to SILVER
    let card = await reach(s, 'membership_tier');
    expect(await card.getByRole('heading').textContent()).toBe('SILVER까지 17,000원 남았어요');
    await screenshots(s, 'membership_tier');
    await dismissAndCheck(s, site, 'membership_tier', '닫기');

    await s.addToCart('k-plate');
    await s.checkOut(); // 115,000원: SILVER, the tier the shop had named as next
    for (let attempt = 0; attempt < 5; attempt++) {
      card = await reach(s, 'membership_tier');
      if ((await card.getByRole('heading').textContent()) === 'SILVER 등급이 되셨어요!') break;
      await keyboardActivate(s, 'membership_tier', '닫기');
    }
    expect(await card.getByRole('heading').textContent()).toBe('SILVER 등급이 되셨어요!');
    await s.page.screenshot({ path: join(OUT, 'membership_tier-up-ko-desktop.png') });
  });

  it('points: the sign-up points, their expiry date, and the balance the shop sent', async () => {
    screenshotsOnFailure('tp-points');
    const site = await siteFor('points');
    const s = await Shopper.open(site);
    await signUp(s);
    const card = await reach(s, 'points');
    expect(await card.getByRole('heading').textContent()).toMatch(/^2,000P가 \d+월 \d+일에 사라져요$/);
    expect(await card.getByText('2,000P', { exact: true }).count()).toBe(1);
    await screenshots(s, 'points');
    await dismissAndCheck(s, site, 'points', '다음에 할게요');
  });

  it('replenishment: when the sheet masks run out, the product with its price, added to the cart by keyboard', async () => {
    screenshotsOnFailure('tp-replenishment');
    const site = await siteFor('replenishment');
    await uploadCatalogue(site);
    const s = await Shopper.open(site);
    await s.addToCart('b-sheetmask');
    await s.checkOut();
    await s.advance(8); // a 10-day pack: due from 3 days before
    const card = await reach(s, 'replenishment');
    expect(await card.getByRole('heading').textContent()).toBe('다시 채워둘 때가 됐어요');
    expect(await card.getByText('수분 시트 마스크 10매').count()).toBe(1);
    expect(await card.getByText('15,000원').count()).toBe(1);
    await screenshots(s, 'replenishment');

    await keyboardActivate(s, 'replenishment', '장바구니 담기');
    await expect.poll(() => card.getByRole('status').textContent()).toBe('장바구니에 담았어요');
    const cart = await s.page.evaluate(() => JSON.parse(localStorage.getItem('haru.cart') ?? '[]'));
    expect(cart).toEqual([{ id: 'b-sheetmask', quantity: 1 }]);
    await s.flush();
    await expect.poll(() => widgetEvents(site, 'replenishment'), { timeout: 15_000 }).toEqual(['widget_click:add_to_cart', 'widget_impression']);
    // The shop's own add_to_cart reached Touchpoint too.
    await expect
      .poll(() => queryD1<{ n: number }>(`SELECT COUNT(*) AS n FROM events WHERE site = '${site}' AND name = 'add_to_cart' AND props LIKE '%b-sheetmask%'`)[0]!.n, { timeout: 15_000 })
      .toBe(2);
    expect(s.problems).toEqual([]);
  });
});
