// The survey and referral widgets in the harness: config text (questions, choices, copy) shown as
// text, English as well as Korean, per-question errors tied to their question, the answers tracked
// as the edge expects them, and an invite card without a safe link not shown at all.
import { describe, expect, it } from 'vitest';
import { catalog, XSS_NAME } from './widget-fixtures';
import { ensureTestSite, mount, useHarness, waitForEvents, widgetUrls } from './widget-harness';

const { withPage } = useHarness(() => ensureTestSite(catalog()));

const QUESTIONS = [
  { id: 'nps', kind: 'scale', text: { ko: XSS_NAME, en: XSS_NAME }, low_label: { ko: '아니다', en: 'No' }, high_label: { ko: '그렇다', en: 'Yes' }, negative_at_most: 6, required: true },
  {
    id: 'why',
    kind: 'choice',
    multiple: true,
    text: { ko: '이유는?', en: 'Why?' },
    choices: [
      { id: 'price', label: { ko: XSS_NAME, en: XSS_NAME } },
      { id: 'quality', label: { ko: '품질', en: 'Quality' } },
    ],
    negative_choices: [],
    required: false,
  },
  { id: 'note', kind: 'text', text: { ko: '한마디', en: 'Anything else?' }, max_length: 20, required: false },
];

const noMarkup = (page: import('playwright-core').Page, host: string) =>
  page.evaluate((sel) => document.querySelector(sel)?.shadowRoot?.querySelectorAll('img[src="x"], script').length ?? -1, host);

describe('survey widget', () => {
  it('shows config text as text, points at the unanswered required question, and tracks one survey_answer per answer', () =>
    withPage(async (page) => {
      await mount(page, 'survey', { survey: 'pulse', questions: QUESTIONS, copy: { ko: { title: XSS_NAME } } });
      await waitForEvents(page, 'widget_impression');
      const survey = page.locator('[data-touchpoint-widget="survey"]');
      expect(await survey.getByText(XSS_NAME).count()).toBe(3);
      expect(await noMarkup(page, '[data-touchpoint-widget="survey"]')).toBe(0);

      await survey.getByRole('button', { name: '보내기' }).click();
      const alert = survey.getByRole('alert');
      expect(await alert.textContent()).toBe('이 질문에 답해 주세요.');
      // The error is the scale's description, so a screen reader reads it with the question.
      const described = await survey.locator('fieldset').first().getAttribute('aria-describedby');
      expect(described).toBe(await alert.getAttribute('id'));

      await survey.getByLabel('2점', { exact: true }).check();
      expect(await alert.count()).toBe(0);
      await survey.getByRole('checkbox', { name: XSS_NAME }).check();
      await survey.getByRole('checkbox', { name: '품질' }).check();
      await survey.getByRole('textbox').fill('  <i>too slow</i>  ');
      await survey.getByRole('button', { name: '보내기' }).click();
      const answers = await waitForEvents(page, 'survey_answer', 3);
      expect(answers.map((e) => e.props)).toEqual([
        expect.objectContaining({ survey: 'pulse', question: 'nps', answer: '2' }),
        expect.objectContaining({ survey: 'pulse', question: 'why', answer: ['price', 'quality'] }),
        expect.objectContaining({ survey: 'pulse', question: 'note', answer: '<i>too slow</i>' }),
      ]);
      await waitForEvents(page, 'widget_submit');
      expect(await survey.getByText('의견 감사합니다').count()).toBe(1);
    }));

  it('speaks English on an English page', () =>
    withPage(
      async (page) => {
        await mount(page, 'survey', { survey: 'pulse', questions: QUESTIONS });
        await waitForEvents(page, 'widget_impression');
        const survey = page.locator('[data-touchpoint-widget="survey"]');
        expect(await survey.getByRole('heading').textContent()).toBe('Got a moment?');
        expect(await survey.getByLabel('7 out of 10', { exact: true }).count()).toBe(1);
        expect(await survey.getByRole('checkbox', { name: 'Quality' }).count()).toBe(1);
      },
      { lang: 'en' },
    ));
});

describe('referral widget', () => {
  it('shows the link and the counts; text from config stays text', () =>
    withPage(async (page) => {
      await mount(page, 'referral', { link: 'https://shop.example/?tp_ref=abcdefghjkmnpqrs', code: 'abcdefghjkmnpqrs', friends_joined: 3, friends_ordered: 1, copy: { ko: { body: XSS_NAME } } });
      await waitForEvents(page, 'widget_impression');
      const card = page.locator('[data-touchpoint-widget="referral"]');
      expect(await card.getByLabel('내 초대 링크').inputValue()).toBe('https://shop.example/?tp_ref=abcdefghjkmnpqrs');
      expect(await card.getByText('가입한 친구 3명').count()).toBe(1);
      expect(await card.getByText('첫 구매한 친구 1명').count()).toBe(1);
      expect(await card.getByText(XSS_NAME).count()).toBe(1);
      expect(await noMarkup(page, '[data-touchpoint-widget="referral"]')).toBe(0);
      for (const url of await widgetUrls(page)) expect(url).toMatch(/^https?:\/\//);
    }));

  it('is not shown without a safe link', () =>
    withPage(async (page) => {
      await mount(page, 'referral', { link: 'javascript:alert(1)', code: 'x', friends_joined: 0, friends_ordered: 0 });
      await page.waitForFunction(() => !document.querySelector('[data-touchpoint-widget="referral"]'));
      expect(await page.evaluate(() => (window as unknown as { __events: { name: string }[] }).__events.map((e) => e.name))).not.toContain('widget_impression');
    }));
});
