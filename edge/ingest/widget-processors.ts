import { catalogFromEvents } from '../catalog/ingest';
import { leadsFromEvents } from '../leads/ingest';
import { recommendationAggregates } from '../recs/ingest';
import { reviewsFromEvents } from '../reviews/ingest';
import { referralsFromEvents } from '../referrals/credit';
import { surveyResponsesFromEvents } from '../surveys/ingest';
import { registerBatchProcessor } from './process-batch';

let registered = false;

/** The widgets' share of batch processing. Order matters inside the transaction: the catalogue
 * first (aggregates read item categories from it), reviews last (they read purchases). */
export function registerWidgetProcessors(): void {
  if (registered) return;
  registered = true;
  for (const processor of [catalogFromEvents, recommendationAggregates, leadsFromEvents, reviewsFromEvents, surveyResponsesFromEvents, referralsFromEvents]) registerBatchProcessor(processor);
}
