// Surveys in workerd: answers checked on the edge against the survey campaign (per-field errors,
// nothing stored), one answer set per recontact period, answered and dismissed surveys not asked
// again, answers as audiences and in the profile view, the CSV export, and negative answers
// reaching the shop's hand-off webhook (a real receiver on loopback).
import { describe, expect, inject, it } from 'vitest';
import { SiteConfig } from '../../edge/contract';
import type { SurveyWebhookBody } from '../../edge/contract';
import { admin } from './shop-helpers';
import { campaignsConfig, DAY, type Decision, rows, sendAt, serverEvents, Shopper, siteWith } from './shopper';

const EVERYONE = { stages: ['prospect', 'new', 'active', 'at_risk', 'wakeup'], consent: 'none', page_types: [] };

const CHURN = {
  id: 'why',
  kind: 'choice',
  text: { ko: '구매가 줄어든 이유는?', en: 'Why do you buy less?' },
  choices: ['price', 'quality', 'delivery', 'other_shop'].map((id) => ({ id, label: { ko: id, en: id } })),
  negative_choices: ['quality', 'delivery'],
};
const NPS = { id: 'nps', kind: 'scale', text: { ko: '추천하시겠어요?', en: 'Would you recommend us?' }, negative_at_most: 6 };
const NOTE = { id: 'note', kind: 'text', text: { ko: '한마디', en: 'Anything else?' }, max_length: 20 };

const survey = (settings: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  id: 'pulse',
  name: 'Pulse',
  template: 'survey',
  trigger: { type: 'immediate' },
  audience: EVERYONE,
  settings: { questions: [NPS, CHURN, NOTE], ...settings },
  ...extra,
});

/** Posts one batch as the browser would; answers the collector's body. */
async function collect(s: Shopper, events: ReturnType<Shopper['event']>[]) {
  const response = await sendAt(s.now, '/v1/collect', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ site: s.site, sent_at: s.now, events }) });
  expect(response.status).toBe(202);
  return (await response.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
}

const answer = (s: Shopper, d: Pick<Decision, 'decision_id'> | null, question: string, value: string | string[], surveyId = 'pulse') =>
  s.event('survey_answer', { survey: surveyId, question, answer: value, ...(d ? { decision_id: d.decision_id, widget: 'survey' } : {}) });

async function surveyShown(s: Shopper): Promise<Decision> {
  const d = await s.overlay();
  expect(d?.template).toBe('survey');
  return d!;
}

describe('survey answers are checked on the edge', () => {
  it('refuses what does not fit the campaign, field by field, and stores nothing of it', async () => {
    const site = await siteWith(campaignsConfig([survey()]));
    const s = new Shopper(site.id);
    await s.pageView();
    const d = await surveyShown(s);
    const body = await collect(s, [
      answer(s, d, 'nps', '7', 'nope'),
      answer(s, d, 'mood', '7'),
      answer(s, d, 'nps', '11'),
      answer(s, d, 'nps', ['3', '4']),
      answer(s, d, 'why', 'weather'),
      answer(s, d, 'why', ['price', 'quality']),
      answer(s, d, 'note', 'x'.repeat(21)),
      answer(s, d, 'note', '   '),
      answer(s, d, 'nps', '9'),
    ]);
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([
      { index: 0, reason: 'props.survey: "nope" is not a survey of this site' },
      { index: 1, reason: 'props.question: "mood" is not a question of survey "pulse" (nps, why, note)' },
      { index: 2, reason: 'props.answer: question "nps" takes one whole number from 0 to 10' },
      { index: 3, reason: 'props.answer: question "nps" takes one whole number from 0 to 10' },
      { index: 4, reason: 'props.answer: "weather" is not a choice of question "why" (price, quality, delivery, other_shop)' },
      { index: 5, reason: 'props.answer: question "why" takes one choice' },
      { index: 6, reason: 'props.answer: must be at most 20 characters for question "note"' },
      { index: 7, reason: 'props.answer: question "note" needs some text' },
    ]);
    expect(await rows('SELECT question, answers FROM survey_answers WHERE site = ?', site.id)).toEqual([{ question: 'nps', answers: '["9"]' }]);
    expect(await rows("SELECT count(*) AS n FROM events WHERE site = ? AND name = 'survey_answer'", site.id)).toEqual([{ n: 1 }]);
    // The shop's server is held to the same survey.
    const server = await serverEvents(site.id, s.now, [{ name: 'survey_answer', user_id: 'm-server', props: { survey: 'pulse', question: 'why', answer: 'weather' } }]);
    expect(server.body.rejected).toEqual([{ index: 0, reason: 'props.answer: "weather" is not a choice of question "why" (price, quality, delivery, other_shop)' }]);
    // Negative and notify are the edge's to say: a browser claiming them is overruled.
    await collect(s, [{ ...answer(s, d, 'why', 'price'), props: { survey: 'pulse', question: 'why', answer: 'price', decision_id: d.decision_id, negative: true, notify: true } }]);
    expect(await rows('SELECT negative, webhook_state FROM survey_responses WHERE site = ?', site.id)).toEqual([{ negative: '[]', webhook_state: 'none' }]);
  });

  it('takes one answer set per shopper in the recontact period; the set may arrive in several batches and be sent twice', async () => {
    const site = await siteWith(campaignsConfig([survey({ recontact_days: 30 })]));
    const s = new Shopper(site.id);
    await s.pageView();
    const d = await surveyShown(s);
    const first = answer(s, d, 'nps', '8');
    expect((await collect(s, [first])).rejected).toEqual([]);
    // The rest of the same set later, and the outbox sending the first again: all fine.
    expect(await collect(s, [answer(s, d, 'why', 'price'), first])).toMatchObject({ accepted: 1, rejected: [] });

    s.advance(2 * DAY);
    const again = await collect(s, [answer(s, { decision_id: 'another-decision-1' }, 'nps', '2')]);
    expect(again.accepted).toBe(0);
    expect(again.rejected[0]!.reason).toMatch(/^props\.survey: this shopper answered survey "pulse" on \d{4}-\d\d-\d\d; it may be answered again 30 days after$/);
    // The same person signed in on another device is the same shopper.
    s.user = 'm-1';
    await s.track('login');
    const phone = s.onAnotherDevice();
    phone.user = 'm-1';
    const fromPhone = await collect(phone, [answer(phone, { decision_id: 'phone-decision-1' }, 'nps', '2')]);
    expect(fromPhone.rejected).toHaveLength(1);

    s.advance(31 * DAY);
    expect(await collect(s, [answer(s, { decision_id: 'another-decision-1' }, 'nps', '2')])).toMatchObject({ accepted: 1, rejected: [] });
    expect((await s.profile()).facts.survey_answers).toContainEqual({ survey: 'pulse', question: 'nps', answers: ['2'] });
  });
});

describe('who is asked', () => {
  it('never asks again within the recontact period someone who answered or dismissed it', async () => {
    // The campaign's own dismissal cooldown is 1 hour; the survey's recontact period still holds.
    const site = await siteWith(campaignsConfig([survey({ recontact_days: 60 }, { caps: { dismiss_cooldown_hours: 1, per_session: null, per_day: null } })]));
    const answered = new Shopper(site.id);
    await answered.pageView();
    const d = await surveyShown(answered);
    await answered.widgetEvent('widget_impression', d);
    await answered.send(answer(answered, d, 'nps', '10'));
    answered.advance(59 * DAY);
    expect(await answered.overlay()).toBeNull();
    expect((await answered.profile()).eligibility.find((e: any) => e.campaign === 'pulse').reason).toBe('answered within its recontact period');
    answered.advance(2 * DAY);
    expect((await answered.overlay())?.campaign).toBe('pulse');

    const dismissed = new Shopper(site.id);
    await dismissed.pageView();
    const shown = await surveyShown(dismissed);
    await dismissed.widgetEvent('widget_impression', shown);
    await dismissed.widgetEvent('widget_dismiss', shown);
    dismissed.advance(30 * DAY);
    expect(await dismissed.overlay()).toBeNull();
    expect((await dismissed.profile()).eligibility.find((e: any) => e.campaign === 'pulse').reason).toBe('dismissed within its recontact period');
    dismissed.advance(31 * DAY);
    expect((await dismissed.overlay())?.campaign).toBe('pulse');
  });

  it('a survey asked once (recontact_days null) is not asked again ever', async () => {
    const site = await siteWith(campaignsConfig([survey({ recontact_days: null })]));
    const s = new Shopper(site.id);
    await s.pageView();
    const d = await surveyShown(s);
    await s.send(answer(s, d, 'why', 'price'));
    s.advance(3000 * DAY);
    expect(await s.overlay()).toBeNull();
    expect((await collect(s, [answer(s, { decision_id: 'later-decision-1' }, 'why', 'quality')])).rejected[0]!.reason).toMatch(/it is answered once$/);
  });

  it('answers are audiences (a choice, a score range) and show in the profile view, text as text', async () => {
    const detractors = { id: 'sorry', name: 'Sorry', template: 'welcome_back', trigger: { type: 'immediate' }, audience: { ...EVERYONE, survey_answers: [{ survey: 'pulse', question: 'nps', score: { min: 0, max: 6 } }] } };
    const churned = { id: 'quality', name: 'Quality', template: 'welcome_back', placement: 'inline', slot: 'q', trigger: { type: 'immediate' }, audience: { ...EVERYONE, survey_answers: [{ survey: 'pulse', question: 'why', answers: ['quality', 'delivery'] }] } };
    const site = await siteWith(campaignsConfig([survey({}, { enabled: false }), detractors, churned]));
    const low = new Shopper(site.id);
    await low.pageView();
    await low.send(answer(low, { decision_id: 'decision-low-1' }, 'nps', '6'), answer(low, { decision_id: 'decision-low-1' }, 'why', 'quality'), answer(low, { decision_id: 'decision-low-1' }, 'note', '<b>late</b>'));
    const high = new Shopper(site.id);
    await high.pageView();
    await high.send(answer(high, { decision_id: 'decision-high-1' }, 'nps', '7'), answer(high, { decision_id: 'decision-high-1' }, 'why', 'price'));

    const lowDecided = await low.decide({ slots: ['q'] });
    expect(lowDecided.overlay?.campaign).toBe('sorry');
    expect(lowDecided.inline.map((d) => d.campaign)).toEqual(['quality']);
    const highDecided = await high.decide({ slots: ['q'] });
    expect(highDecided).toEqual({ overlay: null, inline: [] });
    const why = (await high.profile()).eligibility.find((e: any) => e.campaign === 'sorry').reason;
    expect(why).toBe('survey pulse/nps was not answered a score of 0 to 6');

    const { facts } = await low.profile();
    expect(facts.survey_answers).toEqual(
      expect.arrayContaining([
        { survey: 'pulse', question: 'nps', answers: ['6'] },
        { survey: 'pulse', question: 'why', answers: ['quality'] },
        { survey: 'pulse', question: 'note', answers: ['<b>late</b>'] },
      ]),
    );
  });

  it('an audience entry needs answers or a score range, and a range the right way round', async () => {
    const bad = SiteConfig.safeParse(campaignsConfig([{ id: 'x', name: 'X', template: 'welcome_back', audience: { survey_answers: [{ survey: 'pulse', question: 'nps' }, { survey: 'pulse', question: 'nps', score: { min: 7, max: 3 } }] } }]));
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['campaigns.0.audience.survey_answers.0.answers', 'campaigns.0.audience.survey_answers.1.score.min']));
  });

  it('the ready journey asks brand NPS (2nd to 4th order) in Korean and English', () => {
    const config = SiteConfig.parse({});
    const nps = config.campaigns.find((c) => c.id === 'nps_survey');
    expect(nps).toMatchObject({ template: 'survey', enabled: true, audience: { orders: { min: 2, max: 4 } } });
    const q = (nps as any).settings.questions[0];
    expect(q).toMatchObject({ id: 'nps', kind: 'scale', negative_at_most: 6 });
    expect(q.text.ko).toMatch(/추천/);
    expect(q.text.en).toMatch(/recommend/);
  });
});

describe('survey answers leave the edge', () => {
  it('as CSV for the site admin (token required), free text as a text cell', async () => {
    const site = await siteWith(campaignsConfig([survey()]));
    const s = new Shopper(site.id);
    s.user = 'member-csv';
    await s.pageView();
    await s.send(answer(s, { decision_id: 'decision-csv-1' }, 'nps', '3'), answer(s, { decision_id: 'decision-csv-1' }, 'note', '=HYPERLINK("x")'));
    const other = new Shopper(site.id);
    await other.send(answer(other, { decision_id: 'decision-csv-2' }, 'why', 'delivery'));

    expect((await sendAt(s.now, `/v1/admin/sites/${site.id}/survey-answers.csv`)).status).toBe(401);
    const response = await admin(site.token, `/v1/admin/sites/${site.id}/survey-answers.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/csv/);
    const lines = (await response.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('answered_at,survey,question,answer,visitor_id,user_id');
    expect(lines.slice(1).map((l) => l.split(',').slice(1).join(',')).sort()).toEqual(
      [`pulse,note,"'=HYPERLINK(""x"")",u:member-csv,member-csv`, `pulse,nps,3,u:member-csv,member-csv`, `pulse,why,delivery,a:${other.anon},`].sort(),
    );
  });

  it('negative answers reach the hand-off webhook once, signed; the rest do not', async () => {
    const site = await siteWith(campaignsConfig([survey(), survey({ negative_to_webhook: false }, { id: 'quiet', name: 'Quiet', enabled: false })]));
    const path = `/ok/${crypto.randomUUID()}`;
    const put = await admin(site.token, `/v1/admin/sites/${site.id}/webhooks`, { method: 'PUT', body: JSON.stringify({ reviews_url: null, handoff_url: `${inject('receiverUrl')}${path}` }) });
    expect(put.status).toBe(200);

    const detractor = new Shopper(site.id);
    detractor.user = 'm-detractor';
    await detractor.send(answer(detractor, { decision_id: 'decision-neg-1' }, 'nps', '4'), answer(detractor, { decision_id: 'decision-neg-1' }, 'why', 'delivery'));
    const promoter = new Shopper(site.id);
    await promoter.send(answer(promoter, { decision_id: 'decision-pos-1' }, 'nps', '9'), answer(promoter, { decision_id: 'decision-pos-1' }, 'why', 'price'));
    const unsent = new Shopper(site.id);
    await unsent.send(answer(unsent, { decision_id: 'decision-quiet-1' }, 'nps', '0', 'quiet'));

    const got = (await (await fetch(`${inject('receiverUrl')}/received?path=${encodeURIComponent(path)}`)).json()) as { headers: Record<string, string>; body: string }[];
    expect(got).toHaveLength(1);
    const body = JSON.parse(got[0]!.body) as SurveyWebhookBody;
    expect(body).toMatchObject({
      type: 'survey_negative',
      site: site.id,
      survey: { campaign: 'pulse', decision_id: 'decision-neg-1' },
      shopper: { visitor_id: 'u:m-detractor', user_id: 'm-detractor' },
      answers: { nps: ['4'], why: ['delivery'] },
    });
    expect(body.negative.sort()).toEqual(['nps', 'why']);
    expect(got[0]!.headers['webhook-id']).toBe(body.id);
    expect(await rows("SELECT survey, webhook_state FROM survey_responses WHERE site = ? ORDER BY survey, webhook_state", site.id)).toEqual([
      { survey: 'pulse', webhook_state: 'none' },
      { survey: 'pulse', webhook_state: 'queued' },
      { survey: 'quiet', webhook_state: 'none' },
    ]);
  });
});
