import type { Bindings } from '../env';
import { queueReferralWebhooks, sitesWithPendingReferrals } from '../referrals/webhook';
import { queueSurveyWebhooks, sitesWithPendingSurveys } from '../surveys/webhook';
import { sendDueDeliveries } from './send';
import { forEachDatabase } from '../sites/site-database';

type Env = Pick<Bindings, 'DB' | 'KV' | 'ALLOW_LOCAL_WEBHOOKS'>;

/** Events whose processing may leave a negative survey set or a referral step for the webhook. */
export const JOURNEY_WEBHOOK_EVENTS: ReadonlySet<string> = new Set(['survey_answer', 'sign_up', 'purchase']);

/** Moves the site's negative survey sets and referral steps into the webhook outbox, then sends
 * what is due (as reviews do: edge/reviews/webhook-delivery.ts). */
export async function deliverJourneyWebhooks(env: Env, site: string, now = Date.now()): Promise<void> {
  await queueSurveyWebhooks(env, site, now);
  await queueReferralWebhooks(env, site, now);
  await sendDueDeliveries(env, site, now);
}

/** The cron's pass over the sites with either waiting, database by database. */
export async function queueAllJourneyWebhooks(env: Env, now = Date.now()): Promise<void> {
  await forEachDatabase(env, async (db) => {
    const sites = new Set([...(await sitesWithPendingSurveys(db)), ...(await sitesWithPendingReferrals(db))]);
    for (const site of sites) {
      await queueSurveyWebhooks(env, site, now);
      await queueReferralWebhooks(env, site, now);
    }
  });
}
