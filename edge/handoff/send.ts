/** Sends what is due in the webhook outbox to the shop: signed the Standard Webhooks way, one
 * request per delivery, with a timeout, from the cron and right after something was queued, never
 * on the path of collect or decide. Advertising is held through the site's quiet hours. */
import type { Bindings } from '../env';
import { afterQuietHours } from '../lib/site-time';
import { getWebhookSettings } from '../reviews/webhook-settings';
import { getSite } from '../sites/site-registry';
import { claimDue, settleStatement, sitesWithDueDeliveries, type ClaimedDelivery } from './deliveries';
import { checkWebhookUrl } from './destination';
import { postSigned, type Outcome } from './post-signed';
import { forEachDatabase, siteDb } from '../sites/site-database';

export const QUIET_HOURS = { from: 21, to: 8 } as const;
const PER_CLAIM = 50;
/** A backlog (a receiver back after hours) is worked through claim after claim for up to this long a run. */
const RUN_BUDGET_MS = 20_000;

type Env = Pick<Bindings, 'DB' | 'KV' | 'ALLOW_LOCAL_WEBHOOKS'>;

export interface SendCounts {
  sent: number;
  failed: number;
  held: number;
}

/** Sends one site's due deliveries, oldest first, claim after claim while a backlog lasts. */
export async function sendDueDeliveries(env: Env, site: string, now = Date.now()): Promise<SendCounts> {
  const counts: SendCounts = { sent: 0, failed: 0, held: 0 };
  const [settings, siteSettings] = await Promise.all([getWebhookSettings(env.KV, site), getSite(env.KV, site)]);
  const db = siteDb(env, siteSettings ?? { id: site });
  const timezone = siteSettings?.timezone;
  const allowLocal = env.ALLOW_LOCAL_WEBHOOKS === 'allow';
  const started = Date.now();
  for (;;) {
    const due = await claimDue(db, site, now, PER_CLAIM);
    // A claim holds at most one delivery per shopper, so these can go side by side.
    const outcomes = await Promise.all(
      due.map(async (d: ClaimedDelivery): Promise<Outcome> => {
        if (d.advertising && timezone) {
          const morning = afterQuietHours(now, timezone, QUIET_HOURS.from, QUIET_HOURS.to);
          if (morning > now) return { ok: false, status: null, holdUntil: morning };
        }
        const target = d.topic === 'review' ? settings?.reviews_url : settings?.handoff_url;
        if (!settings || !target) return { ok: false, status: null, error: 'no webhook URL is set for this kind of delivery' };
        const check = checkWebhookUrl(target, allowLocal);
        if (!check.ok) return { ok: false, status: null, error: `webhook URL ${check.reason}` };
        return postSigned(check.url, settings.secret, d.id, d.body, now);
      }),
    );
    if (due.length) await db.batch(due.map((d, i) => settleStatement(db, site, d, outcomes[i]!, now)));
    for (const o of outcomes) counts[o.holdUntil !== undefined ? 'held' : o.ok ? 'sent' : 'failed']++;
    // Stop when the backlog is through, when the receiver fails (its retries wait their turn), or at the budget.
    if (due.length < PER_CLAIM || outcomes.some((o) => !o.ok) || Date.now() - started > RUN_BUDGET_MS) break;
  }
  return counts;
}

/** The cron's pass: every site with deliveries due, database by database. */
export async function sendAllDueDeliveries(env: Env, now = Date.now()): Promise<void> {
  await forEachDatabase(env, async (db) => {
    for (const site of await sitesWithDueDeliveries(db, now)) await sendDueDeliveries(env, site, now);
  });
}
