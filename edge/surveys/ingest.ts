import { statementFor } from '../pipeline/guarded-statement';
import { BATCH_EVENTS, type StepStatements } from '../pipeline/batch';
import { profileVisitorOf } from '../identity/visitor';

/** survey_answer events → one answer set per shopper, survey and decision (survey_responses): what
 * the collector checks new sets against (recontact), and the negative sets waiting for the
 * hand-off webhook (`notify`, set by the collector from the survey's config). The latest answer
 * per question, which audiences and the profile view read, is kept by the profile step
 * (survey_answers). A set's negative questions are an aggregate of its group (a subquery per
 * set read the batch's answers again for each one). */
const UPSERT_SETS = `
WITH a AS MATERIALIZED (
  SELECT ${profileVisitorOf('e.user_id', 'e.anon_id')} AS visitor, e.props ->> '$.survey' AS survey,
         coalesce(e.props ->> '$.decision_id', '') AS decision_id, e.anon_id, e.user_id, e.ts,
         e.props ->> '$.question' AS question,
         CASE WHEN json_type(e.props, '$.answer') = 'array' THEN json(e.props -> '$.answer') ELSE json_array(e.props ->> '$.answer') END AS answer,
         coalesce(e.props ->> '$.negative', 0) AS negative, coalesce(e.props ->> '$.notify', 0) AS notify
  FROM ${BATCH_EVENTS} e WHERE e.name = 'survey_answer' AND {claimed})
INSERT INTO survey_responses (site, visitor_id, survey, decision_id, anon_id, user_id, answered_at, answers, negative, webhook_state)
SELECT :site, visitor, survey, decision_id, max(anon_id), max(user_id), max(ts),
       json_group_object(question, json(answer)),
       json_group_array(question) FILTER (WHERE negative),
       CASE WHEN max(notify) THEN 'pending' ELSE 'none' END
FROM a GROUP BY visitor, survey, decision_id
ON CONFLICT (site, visitor_id, survey, decision_id) DO UPDATE SET
  answers = json_patch(survey_responses.answers, excluded.answers),
  negative = (SELECT json_group_array(DISTINCT value) FROM (SELECT value FROM json_each(survey_responses.negative) UNION SELECT value FROM json_each(excluded.negative))),
  answered_at = max(survey_responses.answered_at, excluded.answered_at),
  user_id = coalesce(excluded.user_id, survey_responses.user_id),
  webhook_state = CASE WHEN excluded.webhook_state = 'pending' THEN 'pending' ELSE survey_responses.webhook_state END`;

export const surveyResponsesFromEvents: StepStatements = async (db, batch) =>
  [statementFor(db, batch, ['survey_answer'], UPSERT_SETS)].filter((s): s is D1PreparedStatement => s !== null);
