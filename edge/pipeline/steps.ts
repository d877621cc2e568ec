import { catalogFromEvents } from '../catalog/ingest';
import { leadsFromEvents } from '../leads/ingest';
import { profileProcessor } from '../profiles/profile-processor';
import { recommendationAggregates } from '../recs/ingest';
import { reportEventsProcessor, reportStagesProcessor } from '../report/ingest';
import { reviewsFromEvents } from '../reviews/ingest';
import type { PipelineStep } from './batch';

/** What happens to stored events, in this order, inside one transaction per run (edge/pipeline/run.ts).
 * To add a step: write a StepStatements (edge/pipeline/batch.ts) whose SQL reads the batch's events
 * from BATCH_EVENTS and holds `{claimed}`, then put it here where its reads and writes fit.
 * Order matters:
 * - the catalogue first: recommendation aggregates read item categories from it;
 * - reviews after the recommendation aggregates: `verified` reads the purchase the same batch made,
 *   and a review queues the shop's review webhook (sent later by the cron);
 * - report events before profiles: a purchase is new to the report while its transaction id is
 *   not in `orders` yet; profiles (identity links first, then profile tables) add it;
 * - report stages after profiles: they read the stage the new orders gave. */
export const POST_INGEST_STEPS: readonly PipelineStep[] = [
  { name: 'catalog', statements: catalogFromEvents },
  { name: 'recommendation-aggregates', statements: recommendationAggregates },
  { name: 'leads', statements: leadsFromEvents },
  { name: 'reviews-and-webhooks', statements: reviewsFromEvents },
  { name: 'report-events', statements: reportEventsProcessor },
  { name: 'identity-and-profiles', statements: profileProcessor },
  { name: 'report-stages', statements: reportStagesProcessor },
];
