import type { CampaignOf, SiteConfigT, SurveyQuestionT } from '../contract';
import { getSiteConfig } from '../config/config-store';
import { DAY_MS } from '../lib/time';
import type { AcceptedEvent } from '../contract/accepted-event';
import { siteDbById } from '../sites/site-database';

/** Survey answers are checked on the edge against the survey campaign they name, before they are
 * stored: the question must be one of its questions, a choice one of its choices (one unless the
 * question takes several), a scale a whole number 0–10, a text within its length; and a shopper
 * gives one answer set per survey, again only after its `recontact_days`. A refused answer is
 * reported per field (the collector's `rejected`) and nothing of it is stored. The answers of one
 * set share the widget's decision id, so a set spread over several batches (or sent again by the
 * outbox) is not taken for a second one. Accepted answers get `negative` (its question's rule)
 * and `notify` (negative, and the survey sends negatives to the webhook), set here, never taken
 * from the browser. */

export interface SurveyAnswerProps {
  survey: string;
  question: string;
  answer: string | string[];
  decision_id?: string;
  negative?: boolean;
  notify?: boolean;
}

type Survey = CampaignOf<'survey'>;

const SCORE = /^(?:10|[0-9])$/;

/** Why an answer does not fit its question (path and words), or null. */
function answerFault(q: SurveyQuestionT, answer: string | string[]): string | null {
  const list = Array.isArray(answer) ? answer : [answer];
  switch (q.kind) {
    case 'choice': {
      if (list.length > 1 && !q.multiple) return `props.answer: question "${q.id}" takes one choice`;
      const ids = new Set(q.choices.map((c) => c.id));
      const unknown = list.find((a) => !ids.has(a));
      if (unknown !== undefined) return `props.answer: "${unknown}" is not a choice of question "${q.id}" (${[...ids].join(', ')})`;
      if (new Set(list).size !== list.length) return 'props.answer: a choice is given twice';
      return null;
    }
    case 'scale':
      return list.length === 1 && SCORE.test(list[0]!) ? null : `props.answer: question "${q.id}" takes one whole number from 0 to 10`;
    case 'text': {
      if (list.length !== 1) return `props.answer: question "${q.id}" takes one text`;
      const length = [...list[0]!.trim()].length;
      if (length === 0) return `props.answer: question "${q.id}" needs some text`;
      return length > q.max_length ? `props.answer: must be at most ${q.max_length} characters for question "${q.id}"` : null;
    }
  }
}

function isNegative(q: SurveyQuestionT, answer: string | string[]): boolean {
  const list = Array.isArray(answer) ? answer : [answer];
  if (q.kind === 'scale') return q.negative_at_most !== null && Number(list[0]) <= q.negative_at_most;
  if (q.kind === 'choice') return list.some((a) => q.negative_choices.includes(a));
  return false;
}

interface EarlierSet {
  anon: string;
  visitor_id: string;
  survey: string;
  decision_id: string;
  answered_at: number;
}

/** Earlier answer sets of these browsers and members (and of the members the browsers signed in
 * as, and the browsers the members signed in on), with those identity links. */
async function earlierSets(db: D1Database, site: string, events: readonly AcceptedEvent[]): Promise<{ sets: EarlierSet[]; links: Map<string, string> }> {
  const anons = JSON.stringify([...new Set(events.map((e) => e.anon_id))]);
  const users = JSON.stringify([...new Set(events.flatMap((e) => (e.user_id ? [e.user_id] : [])))]);
  // Each part on its own index (an OR across columns would read the site's every answer set).
  const [sets, links] = await db.batch([
    db
      .prepare(
        `WITH anons AS (SELECT value AS anon FROM json_each(?2)
                        UNION SELECT l.anon_id FROM identity_links l WHERE l.site = ?1 AND l.user_id IN (SELECT value FROM json_each(?3))),
              members AS (SELECT 'u:' || value AS visitor FROM json_each(?3)
                          UNION SELECT 'u:' || l.user_id FROM identity_links l WHERE l.site = ?1 AND l.anon_id IN (SELECT value FROM json_each(?2)))
         SELECT r.anon_id AS anon, r.visitor_id, r.survey, r.decision_id, r.answered_at FROM survey_responses r INDEXED BY survey_responses_by_anon
         WHERE r.site = ?1 AND r.anon_id IN (SELECT anon FROM anons)
         UNION
         SELECT r.anon_id AS anon, r.visitor_id, r.survey, r.decision_id, r.answered_at FROM survey_responses r
         WHERE r.site = ?1 AND r.visitor_id IN (SELECT visitor FROM members)`,
      )
      .bind(site, anons, users),
    db
      .prepare(
        `SELECT anon_id, user_id FROM identity_links WHERE site = ?1 AND anon_id IN (SELECT value FROM json_each(?2))
         UNION SELECT anon_id, user_id FROM identity_links WHERE site = ?1 AND user_id IN (SELECT value FROM json_each(?3))`,
      )
      .bind(site, anons, users),
  ]);
  return {
    sets: (sets?.results ?? []) as EarlierSet[],
    links: new Map(((links?.results ?? []) as { anon_id: string; user_id: string }[]).map((l) => [l.anon_id, l.user_id])),
  };
}

export interface CheckedAnswers {
  /** Positions (in `events`) refused, with the reason. */
  refused: Map<number, string>;
}

/** Checks the batch's `survey_answer` events; rewrites the props of those it takes (negative, notify). */
export async function checkSurveyAnswers(db: D1Database, site: string, config: SiteConfigT, events: AcceptedEvent[], now: number): Promise<CheckedAnswers> {
  const refused = new Map<number, string>();
  const answers = events.map((e, i) => [e, i] as const).filter(([e]) => e.name === 'survey_answer');
  if (answers.length === 0) return { refused };
  const surveys = new Map(config.campaigns.filter((c): c is Survey => c.template === 'survey').map((c) => [c.id, c]));
  const { sets, links } = await earlierSets(db, site, answers.map(([e]) => e));
  for (const [event, index] of answers) {
    const props = JSON.parse(event.props) as SurveyAnswerProps;
    const survey = surveys.get(props.survey);
    if (!survey) {
      refused.set(index, `props.survey: "${props.survey}" is not a survey of this site`);
      continue;
    }
    const question = survey.settings.questions.find((q) => q.id === props.question);
    if (!question) {
      refused.set(index, `props.question: "${props.question}" is not a question of survey "${survey.id}" (${survey.settings.questions.map((q) => q.id).join(', ')})`);
      continue;
    }
    const fault = answerFault(question, props.answer);
    if (fault) {
      refused.set(index, fault);
      continue;
    }
    const decision = props.decision_id ?? '';
    const members = [event.user_id, links.get(event.anon_id)].filter((u): u is string => !!u).map((u) => `u:${u}`);
    // The same browser, the same member, or a browser that signed in as that member.
    const mine = (r: EarlierSet) => r.anon === event.anon_id || members.includes(r.visitor_id) || members.includes(`u:${links.get(r.anon)}`);
    const since = survey.settings.recontact_days === null ? -Infinity : now - survey.settings.recontact_days * DAY_MS;
    const other = sets.find((r) => r.survey === survey.id && r.decision_id !== decision && r.answered_at > since && mine(r));
    if (other) {
      const again = survey.settings.recontact_days === null ? 'it is answered once' : `it may be answered again ${survey.settings.recontact_days} days after`;
      refused.set(index, `props.survey: this shopper answered survey "${survey.id}" on ${new Date(other.answered_at).toISOString().slice(0, 10)}; ${again}`);
      continue;
    }
    const negative = isNegative(question, props.answer);
    const clean: SurveyAnswerProps = { ...props, negative, notify: negative && survey.settings.negative_to_webhook };
    if (question.kind === 'text') clean.answer = (Array.isArray(props.answer) ? props.answer[0]! : props.answer).trim();
    event.props = JSON.stringify(clean);
  }
  return { refused };
}

/** The collector's step: refuses the batch's survey answers that do not fit (reported by their
 * position in the batch, beside the collector's other rejections) and drops them, with their
 * user hashes, from what will be stored. */
export async function refuseBadSurveyAnswers(
  env: { DB: D1Database; KV: KVNamespace },
  site: string,
  batchSize: number,
  result: { accepted: AcceptedEvent[]; rejected: { index: number; reason: string }[]; userHashes: (string | undefined)[] },
  now: number,
): Promise<void> {
  if (!result.accepted.some((e) => e.name === 'survey_answer')) return;
  const { config } = await getSiteConfig(env.KV, site, now);
  const { refused } = await checkSurveyAnswers(await siteDbById(env, site), site, config, result.accepted, now);
  if (refused.size === 0) return;
  // Each event of the batch is either accepted or rejected: the accepted ones keep batch order.
  const rejectedAt = new Set(result.rejected.map((r) => r.index));
  const batchIndex = Array.from({ length: batchSize }, (_, i) => i).filter((i) => !rejectedAt.has(i));
  for (const [position, reason] of refused) result.rejected.push({ index: batchIndex[position]!, reason });
  result.rejected.sort((a, b) => a.index - b.index);
  const keep = (_: unknown, i: number) => !refused.has(i);
  result.accepted = result.accepted.filter(keep);
  result.userHashes = result.userHashes.filter(keep);
}
