import type { SurveyWebhookBody } from '../contract';
import type { Bindings } from '../env';
import { enqueueStatements } from '../handoff/deliveries';
import { getWebhookSettings } from '../reviews/webhook-settings';
import { siteDbById } from '../sites/site-database';

/** Negative answer sets wait in survey_responses ('pending', set in the ingest transaction). With a
 * `handoff_url` they move into the webhook outbox (edge/handoff/deliveries.ts: signed, retried,
 * ordered per shopper, logged, replayable) under topic 'survey'; without one they are marked 'none'. */

const PER_RUN = 100;

interface PendingSet {
  visitor_id: string;
  survey: string;
  decision_id: string;
  anon_id: string;
  user_id: string | null;
  answered_at: number;
  answers: string;
  negative: string;
}

/** Stable for one version of a set: a set completed in a later batch is a new delivery. */
const deliveryId = (r: PendingSet) => `sv_${r.survey}_${r.decision_id || r.visitor_id}_${r.answered_at}`.slice(0, 128);

export function surveyWebhookBody(site: string, r: PendingSet): SurveyWebhookBody {
  return {
    type: 'survey_negative',
    id: deliveryId(r),
    site,
    survey: { campaign: r.survey, decision_id: r.decision_id || null },
    at: new Date(r.answered_at).toISOString(),
    shopper: { visitor_id: r.visitor_id, user_id: r.user_id, anon_id: r.anon_id },
    answers: JSON.parse(r.answers) as Record<string, string[]>,
    negative: JSON.parse(r.negative) as string[],
  };
}

type Env = Pick<Bindings, 'DB' | 'KV'>;

/** Moves the site's pending negative answer sets into the outbox. */
export async function queueSurveyWebhooks(env: Env, site: string, now: number): Promise<void> {
  const db = await siteDbById(env, site);
  const settings = await getWebhookSettings(env.KV, site);
  if (!settings?.handoff_url) {
    // By the partial index of pending sets: the planner would otherwise walk every answer set of the site.
    await db.prepare(`UPDATE survey_responses INDEXED BY survey_responses_webhook SET webhook_state = 'none' WHERE site = ?1 AND webhook_state = 'pending'`).bind(site).run();
    return;
  }
  const { results } = await db.prepare(
    `SELECT visitor_id, survey, decision_id, anon_id, user_id, answered_at, answers, negative FROM survey_responses
     WHERE site = ?1 AND webhook_state = 'pending' ORDER BY answered_at LIMIT ${PER_RUN}`,
  )
    .bind(site)
    .all<PendingSet>();
  if (!results.length) return;
  const deliveries = results.map((r) => ({ id: deliveryId(r), topic: 'survey', shopper: r.visitor_id, body: JSON.stringify(surveyWebhookBody(site, r)), advertising: false, notBefore: now }));
  // Queued only if it is still the version read: answers added since stay pending for the next run.
  const mark = results.map((r) =>
    db.prepare(
      `UPDATE survey_responses SET webhook_state = 'queued' WHERE site = ?1 AND visitor_id = ?2 AND survey = ?3 AND decision_id = ?4 AND answered_at = ?5 AND webhook_state = 'pending'`,
    ).bind(site, r.visitor_id, r.survey, r.decision_id, r.answered_at),
  );
  await db.batch([...enqueueStatements(db, site, deliveries, now), ...mark]);
}

/** Sites with negative answer sets waiting, for the cron. */
export async function sitesWithPendingSurveys(db: D1Database): Promise<string[]> {
  const { results } = await db.prepare(`SELECT DISTINCT site FROM survey_responses WHERE webhook_state = 'pending' LIMIT 50`).all<{ site: string }>();
  return results.map((r) => r.site);
}
