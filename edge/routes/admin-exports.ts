import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { csvResponse } from '../lib/csv';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { knownSite } from '../sites/known-site';
import { siteDb } from '../sites/site-database';
import { boundLimit } from '../lib/sql-limit';

const PAGE = 1000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

interface LeadRow {
  created_at: number;
  updated_at: number;
  email: string;
  marketing_consent: number;
  consent_at: number;
  visitor_id: string;
  user_id: string | null;
  decision_id: string | null;
  campaign: string | null;
  widget: string | null;
  url: string;
}

interface ReviewRow {
  created_at: number;
  updated_at: number;
  item_id: string;
  item_name: string | null;
  rating: number;
  text: string | null;
  verified: number;
  transaction_id: string | null;
  visitor_id: string;
  user_id: string | null;
  decision_id: string | null;
  campaign: string | null;
  webhook_state: string;
}

interface SurveyAnswerRow {
  answered_at: number;
  visitor_id: string;
  survey: string;
  question: string;
  answers: string;
}

/** Captured leads and reviews as CSV, oldest first, paged by keyset so exports of any size stream. */
export const adminExports = new Hono<AppEnv>()
  .get('/v1/admin/sites/:site/leads.csv', requireSiteAdmin, async (c) => {
    const site = await knownSite(c);
    const db = siteDb(c.env, site);
    return csvResponse<LeadRow>(
      `leads-${site.id}.csv`,
      ['created_at', 'updated_at', 'email', 'marketing_consent', 'consent_changed_at', 'visitor_id', 'user_id', 'decision_id', 'campaign', 'widget', 'page_url'],
      async (after) =>
        (
          await db
            .prepare(
              `SELECT created_at, updated_at, email, marketing_consent, consent_at, visitor_id, user_id, decision_id, campaign, widget, url
               FROM leads WHERE site = ?1 AND (created_at, email) > (?2, ?3) ORDER BY created_at, email LIMIT ${boundLimit('?4')}`,
            )
            .bind(site.id, after?.created_at ?? -1, after?.email ?? '', PAGE)
            .all<LeadRow>()
        ).results,
      (r) => [iso(r.created_at), iso(r.updated_at), r.email, r.marketing_consent ? 'yes' : 'no', iso(r.consent_at), r.visitor_id, r.user_id, r.decision_id, r.campaign, r.widget, r.url],
    );
  })
  .get('/v1/admin/sites/:site/reviews.csv', requireSiteAdmin, async (c) => {
    const site = await knownSite(c);
    const db = siteDb(c.env, site);
    return csvResponse<ReviewRow>(
      `reviews-${site.id}.csv`,
      ['created_at', 'updated_at', 'item_id', 'item_name', 'rating', 'text', 'verified_purchase', 'transaction_id', 'visitor_id', 'user_id', 'decision_id', 'campaign', 'webhook'],
      async (after) =>
        (
          await db
            .prepare(
              `SELECT r.created_at, r.updated_at, r.item_id, r.item_name, r.rating, r.text, r.verified, r.transaction_id, r.visitor_id, r.user_id, r.decision_id,
                      r.campaign, coalesce(w.state, r.webhook_state) AS webhook_state
               FROM reviews r LEFT JOIN webhook_deliveries w ON w.site = r.site AND w.id = r.event_id
               WHERE r.site = ?1 AND (r.created_at, r.visitor_id, r.item_id) > (?2, ?3, ?4)
               ORDER BY r.created_at, r.visitor_id, r.item_id LIMIT ${boundLimit('?5')}`,
            )
            .bind(site.id, after?.created_at ?? -1, after?.visitor_id ?? '', after?.item_id ?? '', PAGE)
            .all<ReviewRow>()
        ).results,
      (r) => [
        iso(r.created_at), iso(r.updated_at), r.item_id, r.item_name, r.rating, r.text, r.verified ? 'yes' : 'no',
        r.transaction_id, r.visitor_id, r.user_id, r.decision_id, r.campaign, r.webhook_state,
      ],
    );
  })
  // Each shopper's latest answer to each survey question; several choices are joined with "|".
  // Free text is a cell of text (spreadsheet formulas are defused by csvCell).
  .get('/v1/admin/sites/:site/survey-answers.csv', requireSiteAdmin, async (c) => {
    const site = await knownSite(c);
    const db = siteDb(c.env, site);
    return csvResponse<SurveyAnswerRow>(
      `survey-answers-${site.id}.csv`,
      ['answered_at', 'survey', 'question', 'answer', 'visitor_id', 'user_id'],
      async (after) =>
        (
          await db
            .prepare(
              `SELECT answered_at, visitor_id, survey, question, answers FROM survey_answers
               WHERE site = ?1 AND (answered_at, visitor_id, survey, question) > (?2, ?3, ?4, ?5)
               ORDER BY answered_at, visitor_id, survey, question LIMIT ${boundLimit('?6')}`,
            )
            .bind(site.id, after?.answered_at ?? -1, after?.visitor_id ?? '', after?.survey ?? '', after?.question ?? '', PAGE)
            .all<SurveyAnswerRow>()
        ).results,
      (r) => [iso(r.answered_at), r.survey, r.question, (JSON.parse(r.answers) as string[]).join('|'), r.visitor_id, r.visitor_id.startsWith('u:') ? r.visitor_id.slice(2) : null],
    );
  });
