import { catalogFromEvents } from '../catalog/ingest';
import { leadsFromEvents } from '../leads/ingest';
import { profileProcessor } from '../profiles/profile-processor';
import { recommendationAggregates } from '../recs/ingest';
import { referralsFromEvents } from '../referrals/credit';
import { reportEventsProcessor, reportStagesProcessor } from '../report/ingest';
import { reviewsFromEvents } from '../reviews/ingest';
import { surveyResponsesFromEvents } from '../surveys/ingest';
import type { PipelineStep } from './batch';

/** What happens to stored events, in this order, inside one transaction per run (edge/pipeline/run.ts).
 * To add a step: write a StepStatements (edge/pipeline/batch.ts) whose SQL reads the batch's events
 * from BATCH_EVENTS and holds `{claimed}`, then put it here where its reads and writes fit.
 * Order matters:
 * - the catalogue first: recommendation aggregates read item categories from it;
 * - reviews after the recommendation aggregates: `verified` reads the purchase the same batch made,
 *   and a review queues the shop's review webhook (sent later by the cron);
 * - survey answer sets and referral credit before profiles, as they ran before the pipeline had
 *   one list; referral credit keeps the browser facts it needs itself (edge/referrals/credit.ts);
 * - report events before profiles: a purchase is new to the report while its transaction id is
 *   not in `orders` yet; profiles (identity links first, then profile tables) add it;
 * - report stages after profiles: they read the stage the new orders gave, and a refund's coupon
 *   cost goes once the profile step has marked its order wholly refunded. */
export const POST_INGEST_STEPS: readonly PipelineStep[] = [
  { name: 'catalog', statements: catalogFromEvents },
  { name: 'recommendation-aggregates', statements: recommendationAggregates },
  { name: 'leads', statements: leadsFromEvents },
  { name: 'reviews-and-webhooks', statements: reviewsFromEvents },
  { name: 'survey-answer-sets', statements: surveyResponsesFromEvents },
  { name: 'referral-credit', statements: referralsFromEvents },
  { name: 'report-events', statements: reportEventsProcessor },
  { name: 'identity-and-profiles', statements: profileProcessor },
  { name: 'report-stages', statements: reportStagesProcessor },
];
