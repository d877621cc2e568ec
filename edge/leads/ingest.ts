import { statementFor } from '../pipeline/guarded-statement';
import { BATCH_EVENTS, type StepStatements } from '../pipeline/batch';
import { recordedVisitorOf } from '../identity/visitor';

/** lead_submit → one row per email address. The latest submission sets the marketing consent;
 * consent_at moves only when the answer changes, so it says since when the current answer holds. */
const UPSERT_LEADS = `
INSERT INTO leads (site, email, visitor_id, anon_id, user_id, marketing_consent, consent_at, decision_id, campaign, widget, url, created_at, updated_at, event_id)
SELECT :site, lower(trim(e.props ->> '$.email')), ${recordedVisitorOf('e')}, e.anon_id, e.user_id,
       CASE WHEN e.props ->> '$.marketing_consent' THEN 1 ELSE 0 END, e.ts,
       e.props ->> '$.decision_id',
       coalesce((SELECT d.campaign FROM decisions d WHERE d.site = :site AND d.id = (e.props ->> '$.decision_id')), substr(coalesce(e.props ->> '$.campaign', e.props ->> '$.widget'), 1, 64)),
       substr(e.props ->> '$.widget', 1, 64), e.url, e.ts, e.ts, e.id
FROM ${BATCH_EVENTS} e
WHERE e.name = 'lead_submit' AND {claimed}
ORDER BY e.ts
ON CONFLICT (site, email) DO UPDATE SET
  consent_at = CASE WHEN excluded.marketing_consent <> leads.marketing_consent THEN excluded.consent_at ELSE leads.consent_at END,
  marketing_consent = excluded.marketing_consent,
  user_id = COALESCE(excluded.user_id, leads.user_id),
  updated_at = excluded.updated_at,
  event_id = excluded.event_id
WHERE excluded.updated_at >= leads.updated_at`;

export const leadsFromEvents: StepStatements = async (db, batch) =>
  [statementFor(db, batch, ['lead_submit'], UPSERT_LEADS)].filter((s): s is D1PreparedStatement => s !== null);
