import { statementFor } from '../pipeline/guarded-statement';
import { BATCH_EVENTS, type StepStatements } from '../pipeline/batch';
import { recordedVisitorOf } from '../identity/visitor';

/** review_submit → one review per visitor and item; a later one replaces it and is sent to the
 * shop's webhook again. The review keeps its decision's campaign (decisions leave D1 after the
 * hot window; the export still names it). `verified` says the same visitor bought the item (runs after the
 * recommendation aggregates, so a purchase in the same batch counts). */
const UPSERT_REVIEWS = `
INSERT INTO reviews (site, visitor_id, item_id, item_name, rating, text, transaction_id, verified, decision_id, campaign,
                     anon_id, user_id, created_at, updated_at, event_id, webhook_state, webhook_attempts, webhook_next_at)
SELECT :site, ${recordedVisitorOf('e')}, e.props ->> '$.item_id',
       COALESCE(substr(e.props ->> '$.item_name', 1, 300),
                (SELECT c.name FROM catalog c WHERE c.site = :site AND c.item_id = e.props ->> '$.item_id')),
       e.props ->> '$.rating', NULLIF(trim(e.props ->> '$.text'), ''), substr(e.props ->> '$.transaction_id', 1, 128),
       EXISTS (SELECT 1 FROM rec_visitor_items v
               WHERE v.site = :site AND v.visitor_id = ${recordedVisitorOf('e')} AND v.item_id = e.props ->> '$.item_id' AND v.purchased_at IS NOT NULL),
       e.props ->> '$.decision_id', (SELECT d.campaign FROM decisions d WHERE d.site = :site AND d.id = (e.props ->> '$.decision_id')),
       e.anon_id, e.user_id, e.ts, e.ts, e.id, 'pending', 0, :now
FROM ${BATCH_EVENTS} e
WHERE e.name = 'review_submit' AND {claimed}
ORDER BY e.ts
ON CONFLICT (site, visitor_id, item_id) DO UPDATE SET
  item_name = COALESCE(excluded.item_name, reviews.item_name),
  rating = excluded.rating,
  text = excluded.text,
  transaction_id = COALESCE(excluded.transaction_id, reviews.transaction_id),
  verified = MAX(reviews.verified, excluded.verified),
  decision_id = excluded.decision_id,
  campaign = excluded.campaign,
  updated_at = excluded.updated_at,
  event_id = excluded.event_id,
  webhook_state = 'pending', webhook_attempts = 0, webhook_next_at = excluded.webhook_next_at,
  webhook_claim = NULL, webhook_error = NULL
WHERE excluded.updated_at >= reviews.updated_at`;

export const reviewsFromEvents: StepStatements = async (db, batch) =>
  [statementFor(db, batch, ['review_submit'], UPSERT_REVIEWS)].filter((s): s is D1PreparedStatement => s !== null);
