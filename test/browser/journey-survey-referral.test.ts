// Journeys 8 and 9 in the demo shop: a member's second order brings the NPS survey, answered by
// keyboard (an unanswered required question is pointed out first); their account page then shows
// their invite card, whose link a friend opens in another browser, signs up through and orders
// from, which the inviter's card then counts. Screenshots of both (Korean, desktop and phone) go
// to test-artifacts/widgets/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SiteConfigInput } from '../../edge/contract';
import { queryD1 } from '../support/local-d1';
import { createSite, putConfig, screenshotsOnFailure, Shopper, useJourneyBrowser, WORKER } from './journey-support';

const SITE = 'journey-survey-referral';
const OUT = join(process.cwd(), 'test-artifacts', 'widgets');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const EVERY_STAGE = ['prospect', 'new', 'active', 'at_risk', 'wakeup'] as const;
useJourneyBrowser();

const CONFIG = {
  overlays: { min_gap_minutes: 0 },
  campaigns: [
    {
      id: 'nps',
      name: 'NPS',
      template: 'survey',
      holdout_percent: 0,
      trigger: { type: 'time_on_page', seconds: 1 },
      audience: { stages: [...EVERY_STAGE], consent: 'none', orders: { min: 2, max: 4 } },
      settings: {
        questions: [
          { id: 'nps', kind: 'scale', text: { ko: '하루상점을 친구에게 추천하시겠어요?', en: 'Would you recommend Haru?' }, low_label: { ko: '전혀 아니다', en: 'Not at all' }, high_label: { ko: '매우 그렇다', en: 'Very likely' }, negative_at_most: 6 },
          { id: 'reason', kind: 'text', text: { ko: '그렇게 답하신 이유는요?', en: 'Why?' }, max_length: 200 },
        ],
      },
    },
    { id: 'invite', name: 'Invite', template: 'referral', holdout_percent: 0, audience: { stages: [...EVERY_STAGE], membership: 'member', consent: 'none', orders: { min: 2 } }, settings: { landing_url: '/demo/' } },
  ],
} as unknown as SiteConfigInput;

async function signUp(s: Shopper, email: string): Promise<void> {
  await s.goto('signup');
  await s.page.getByLabel('이메일').fill(email);
  await s.page.getByLabel('비밀번호').fill('correct horse');
  await s.page.getByLabel('이름').fill('김하루');
  await s.page.getByLabel(/이용약관/).check();
  await s.page.getByRole('button', { name: '가입하기' }).click();
  await s.page.waitForURL((url) => !url.pathname.endsWith('/signup'));
  await s.flush();
}

/** A screenshot at desktop and at phone size, then back to desktop. */
async function shoot(s: Shopper, name: string, target: () => Promise<Buffer>): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  // Past the panel's entrance animation.
  await s.page.waitForTimeout(500);
  writeFileSync(join(OUT, `${name}-ko-desktop.png`), await target());
  await s.page.setViewportSize(PHONE);
  await s.page.waitForTimeout(500);
  writeFileSync(join(OUT, `${name}-ko-mobile.png`), await target());
  await s.page.setViewportSize(DESKTOP);
}

const events = (name: string) => queryD1<{ anon_id: string; props: string }>(`SELECT anon_id, props FROM events WHERE site = '${SITE}' AND name = '${name}' ORDER BY ts`);

describe('journey: survey and referral', () => {
  it('asks a repeat buyer for NPS, then lets them invite a friend whose sign-up and first order count', async () => {
    screenshotsOnFailure('survey-referral');
    await createSite(SITE);
    await putConfig(SITE, CONFIG);

    const member = await Shopper.open(SITE);
    await member.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(WORKER).origin });
    await signUp(member, `survey-${Date.now()}@example.com`);
    for (const product of ['k-mug', 'b-handcream']) {
      await member.addToCart(product);
      await member.checkOut();
    }

    // The second order done: the survey opens on the next shopping page.
    await member.goto('');
    expect(member.lastOverlay()).toBe('survey');
    const survey = member.overlay('survey');
    const dialog = survey.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await expect.poll(() => survey.getByText('하루상점을 친구에게 추천하시겠어요?').count()).toBe(1);
    await shoot(member, 'survey', () => member.page.screenshot());

    // Keyboard only: Tab past the close button and the scale, into the text, to Send.
    const keys = member.page.keyboard;
    for (let i = 0; i < 4; i++) await keys.press('Tab');
    await expect.poll(() => survey.getByRole('button', { name: '보내기' }).evaluate((b) => b === (b.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await keys.press('Enter');
    await expect.poll(() => survey.getByRole('alert').textContent()).toBe('이 질문에 답해 주세요.');
    await survey.getByLabel('4점', { exact: true }).focus();
    await keys.press('Space');
    expect(await survey.getByLabel('4점', { exact: true }).isChecked()).toBe(true);
    await keys.press('ArrowRight');
    expect(await survey.getByLabel('5점', { exact: true }).isChecked()).toBe(true);
    await keys.press('Tab');
    await keys.type('배송이 <b>느렸어요</b>');
    await keys.press('Tab');
    await keys.press('Enter');
    await expect.poll(() => survey.getByText('의견 감사합니다').count()).toBe(1);
    await member.flush();

    const answers = () => queryD1<{ question: string; answers: string }>(`SELECT question, answers FROM survey_answers WHERE site = '${SITE}' ORDER BY question`);
    await expect.poll(answers, { timeout: 15_000 }).toEqual([
      { question: 'nps', answers: '["5"]' },
      { question: 'reason', answers: '["배송이 <b>느렸어요</b>"]' },
    ]);
    expect(events('widget_impression').some((e) => JSON.parse(e.props).widget === 'survey')).toBe(true);
    expect(events('widget_submit').some((e) => JSON.parse(e.props).widget === 'survey')).toBe(true);
    await keys.press('Escape');

    // The account page: the invite card in its slot, asked by no survey again.
    await member.goto('account');
    expect(member.lastOverlay()).toBe(null);
    expect(member.decisions.at(-1)!.inline.map((d) => d.widget)).toEqual(['referral']);
    const card = member.page.locator('[data-touchpoint="referral"]');
    await expect.poll(() => card.getByRole('heading', { name: '친구를 초대하고 함께 혜택 받으세요' }).count()).toBe(1);
    await expect.poll(() => card.getByText('가입한 친구 0명').count()).toBe(1);
    const link = await card.getByLabel('내 초대 링크').inputValue();
    expect(link).toMatch(/\/demo\/\?tp_ref=[a-z2-9]{16}$/);
    await card.getByLabel('내 초대 링크').scrollIntoViewIfNeeded();
    await shoot(member, 'referral', () => card.screenshot());
    // Keyboard: from the link to Copy.
    await card.getByLabel('내 초대 링크').focus();
    await keys.press('Tab');
    await keys.press('Enter');
    await member.flush();
    await expect.poll(() => events('widget_click').filter((e) => JSON.parse(e.props).action === 'copy').length, { timeout: 15_000 }).toBe(1);

    // A friend opens the link in their own browser, signs up and orders.
    const friend = await Shopper.open(SITE);
    await friend.goto(link.slice(link.indexOf('/demo/') + '/demo/'.length));
    await friend.flush();
    await signUp(friend, `friend-${Date.now()}@example.com`);
    await friend.addToCart('k-mug');
    const order = await friend.checkOut();
    const credited = () => queryD1<{ signed_up: number; first_order_id: string | null; void_reason: string | null }>(`SELECT signed_up_at IS NOT NULL AS signed_up, first_order_id, void_reason FROM referrals WHERE site = '${SITE}'`);
    await expect.poll(credited, { timeout: 15_000 }).toEqual([{ signed_up: 1, first_order_id: order, void_reason: null }]);

    await member.goto('account');
    await expect.poll(() => card.getByText('가입한 친구 1명').count()).toBe(1);
    expect(await card.getByText('첫 구매한 친구 1명').count()).toBe(1);
    expect([...member.problems, ...friend.problems]).toEqual([]);
  });
});
