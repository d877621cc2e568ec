// Journey 1: a new visitor browses three pages, is offered the signup benefit, signs up, and is
// never offered it again: not on this device, nor after logging in on another.
import { describe, expect, it } from 'vitest';
import { queryD1 } from '../support/local-d1';
import { createSite, onlyWidgets, putConfig, screenshotsOnFailure, Shopper, useJourneyBrowser } from './journey-support';

const SITE = 'journey-signup';
useJourneyBrowser();

describe('journey: signup benefit', () => {
  it('shows the modal on the third page, then never again once the shopper has signed up, on any device', async () => {
    screenshotsOnFailure('signup');
    await createSite(SITE);
    await putConfig(SITE, onlyWidgets({ signup_benefit: { settings: { signup_url: '/demo/signup', email_capture: false } } }));

    const phone = await Shopper.open(SITE);
    await phone.goto('');
    await phone.goto('category?c=kitchen');
    expect(phone.decisions.map((d) => d.overlay)).toEqual([null, null]);
    await phone.goto('product?id=k-mug');
    expect(phone.lastOverlay()).toBe('signup_benefit');
    const modal = phone.overlay('signup_benefit');
    await expect.poll(() => modal.getByRole('dialog').isVisible()).toBe(true);
    expect(await modal.getByRole('heading').textContent()).toBe('지금 가입하면 10% 할인 쿠폰');

    await modal.getByRole('link', { name: '회원가입하고 혜택 받기' }).click();
    await phone.page.waitForURL(/\/demo\/signup/);
    const email = `journey-${Date.now()}@example.com`;
    await phone.page.getByLabel('이메일').fill(email);
    await phone.page.getByLabel('비밀번호').fill('correct horse');
    await phone.page.getByLabel('이름').fill('김하루');
    await phone.page.getByLabel(/이용약관/).check();
    await phone.page.getByRole('button', { name: '가입하기' }).click();
    await phone.page.waitForURL((url) => !url.pathname.endsWith('/signup'));
    await phone.flush();
    const anon = await phone.anonId();

    // Never again on this device, however many pages follow.
    const seen = phone.decisions.length;
    for (const path of ['', 'category?c=beauty', 'product?id=b-handcream', 'cart', 'product?id=k-tumbler']) await phone.goto(path);
    expect(phone.decisions.slice(seen).map((d) => d.overlay?.widget ?? null).filter(Boolean)).toEqual([]);
    expect(await phone.overlay('signup_benefit').count()).toBe(0);

    // Another device: anonymous until login, then the member, who has signed up already.
    const laptop = await Shopper.open(SITE);
    await laptop.goto('login');
    await laptop.page.getByLabel('이메일').fill(email);
    await laptop.page.getByLabel('비밀번호').fill('correct horse');
    await laptop.page.getByRole('button', { name: '로그인' }).click();
    await laptop.page.waitForURL((url) => !url.pathname.endsWith('/login'));
    await laptop.flush();
    for (const path of ['', 'category?c=kitchen', 'product?id=k-plate', 'product?id=k-board']) await laptop.goto(path);
    expect(laptop.decisions.slice(1).map((d) => d.overlay?.widget ?? null).filter(Boolean)).toEqual([]);
    expect(await laptop.overlay('signup_benefit').count()).toBe(0);

    // The worker's record: one signup_benefit decision, then the signup credited to its impression.
    const rows = queryD1<{ widget: string; n: number }>(`SELECT widget, COUNT(*) AS n FROM decisions WHERE site = '${SITE}' GROUP BY widget`);
    expect(rows).toEqual([{ widget: 'signup_benefit', n: 1 }]);
    const signups = queryD1<{ n: number }>(`SELECT COUNT(*) AS n FROM events WHERE site = '${SITE}' AND anon_id = '${anon}' AND name = 'sign_up'`);
    expect(signups[0]!.n).toBe(1);
    expect([...phone.problems, ...laptop.problems]).toEqual([]);
  });
});
