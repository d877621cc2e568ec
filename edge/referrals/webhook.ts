import type { ReferralWebhookBody, SiteConfigT } from '../contract';
import { getSiteConfig } from '../config/config-store';
import type { Bindings } from '../env';
import { enqueueStatements, type NewDelivery } from '../handoff/deliveries';
import { getWebhookSettings } from '../reviews/webhook-settings';
import { siteDbById } from '../sites/site-database';

/** A friend's sign-up and first order wait in `referrals` ('pending', set in the ingest
 * transaction). With a `handoff_url` and a referral campaign that sends rewards
 * (`rewards_to_webhook`) they move into the webhook outbox under topic 'referral', one delivery
 * per friend and step (its id is stable, so the shop pays once); otherwise they are marked 'none'. */

const PER_RUN = 100;

interface PendingReferral {
  friend_anon: string;
  code: string;
  inviter: string;
  visited_at: number;
  friend_user: string | null;
  signed_up_at: number | null;
  first_order_at: number | null;
  first_order_id: string | null;
  first_order_value: number | null;
  signup_webhook: string;
  order_webhook: string;
}

type Env = Pick<Bindings, 'DB' | 'KV'>;

function body(site: string, r: PendingReferral, step: ReferralWebhookBody['step'], id: string): ReferralWebhookBody {
  return {
    type: 'referral',
    id,
    site,
    step,
    at: new Date((step === 'signed_up' ? r.signed_up_at : r.first_order_at)!).toISOString(),
    code: r.code,
    inviter: { user_id: r.inviter.slice(2) },
    friend: { anon_id: r.friend_anon, user_id: r.friend_user },
    visited_at: new Date(r.visited_at).toISOString(),
    order: step === 'first_order' ? { transaction_id: r.first_order_id, value: r.first_order_value } : null,
  };
}

const sendsRewards = (config: SiteConfigT) => config.campaigns.some((c) => c.template === 'referral' && c.settings.rewards_to_webhook);

export async function queueReferralWebhooks(env: Env, site: string, now: number): Promise<void> {
  const db = await siteDbById(env, site);
  const [settings, { config }] = await Promise.all([getWebhookSettings(env.KV, site), getSiteConfig(env.KV, site, now)]);
  if (!settings?.handoff_url || !sendsRewards(config)) {
    // One statement whose WHERE is the partial index's own condition, so only pending rows are read.
    await db
      .prepare(
        `UPDATE referrals INDEXED BY referrals_webhook
         SET signup_webhook = CASE WHEN signup_webhook = 'pending' THEN 'none' ELSE signup_webhook END,
             order_webhook = CASE WHEN order_webhook = 'pending' THEN 'none' ELSE order_webhook END
         WHERE site = ?1 AND (signup_webhook = 'pending' OR order_webhook = 'pending')`,
      )
      .bind(site)
      .run();
    return;
  }
  const { results } = await db.prepare(
    `SELECT * FROM referrals WHERE site = ?1 AND (signup_webhook = 'pending' OR order_webhook = 'pending') LIMIT ${PER_RUN}`,
  )
    .bind(site)
    .all<PendingReferral>();
  if (!results.length) return;
  const deliveries: NewDelivery[] = [];
  const marks: D1PreparedStatement[] = [];
  for (const r of results) {
    for (const step of ['signed_up', 'first_order'] as const) {
      const column = step === 'signed_up' ? 'signup_webhook' : 'order_webhook';
      if (r[column] !== 'pending') continue;
      const id = `rf_${step}_${r.friend_anon}`.slice(0, 128);
      // The friend's deliveries line up behind the inviter's other messages: the inviter is paid.
      deliveries.push({ id, topic: 'referral', shopper: r.inviter, body: JSON.stringify(body(site, r, step, id)), advertising: false, notBefore: now });
      marks.push(db.prepare(`UPDATE referrals SET ${column} = 'queued' WHERE site = ?1 AND friend_anon = ?2 AND ${column} = 'pending'`).bind(site, r.friend_anon));
    }
  }
  await db.batch([...enqueueStatements(db, site, deliveries, now), ...marks]);
}

export async function sitesWithPendingReferrals(db: D1Database): Promise<string[]> {
  const { results } = await db.prepare(`SELECT DISTINCT site FROM referrals WHERE signup_webhook = 'pending' OR order_webhook = 'pending' LIMIT 50`).all<{ site: string }>();
  return results.map((r) => r.site);
}
