import { z } from 'zod';
import { HttpUrl } from './primitives';

/** PUT /v1/admin/sites/:site/webhooks. `reviews_url: null` turns review delivery off;
 * `handoff_url` receives the hand-off audiences (left out: unchanged; null: off). Both must be
 * https to a public address (README, "Hand-offs"). */
export const WebhookSettingsInput = z.object({
  reviews_url: HttpUrl.nullable(),
  handoff_url: HttpUrl.nullable().optional(),
  /** Issue a new signing secret (the old one stops verifying at once). */
  rotate_secret: z.boolean().default(false),
});

/** Stored in KV under `webhook:<site>`; the admin API shows it whole (the secret signs, it does not authorise). */
export const WebhookSettings = z.object({
  reviews_url: HttpUrl.nullable(),
  handoff_url: HttpUrl.nullable().default(null),
  /** `whsec_` + base64 key bytes, as Standard Webhooks libraries take it. */
  secret: z.string().min(16),
});
export type WebhookSettingsT = z.infer<typeof WebhookSettings>;

/** The body POSTed to `reviews_url`, one review per request, signed the Standard Webhooks way
 * (`webhook-id` = `id`, `webhook-timestamp`, `webhook-signature`). */
export interface ReviewWebhookBody {
  type: 'review';
  /** Stable per review version: the id of the review_submit event. Receivers dedupe on it. */
  id: string;
  site: string;
  review: {
    item_id: string;
    item_name: string | null;
    rating: number;
    text: string | null;
    transaction_id: string | null;
    verified_purchase: boolean;
    visitor_id: string;
    user_id: string | null;
    decision_id: string | null;
    created_at: string;
    updated_at: string;
  };
}

/** GET /v1/admin/sites/:site/deliveries: the webhook delivery log, newest first. */
export const DeliveryLogQuery = z.object({
  state: z.enum(['pending', 'sent', 'failed']).optional(),
  topic: z.string().max(64).optional(),
  /** Paging: the `next_before` of the previous page. */
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const DeliveryLogEntry = z.object({
  id: z.string(),
  seq: z.number().int(),
  topic: z.string(),
  shopper: z.string(),
  state: z.enum(['pending', 'sent', 'failed']),
  advertising: z.boolean(),
  attempts: z.number().int(),
  next_at: z.number().int(),
  last_status: z.number().int().nullable(),
  last_error: z.string().nullable(),
  created_at: z.number().int(),
  sent_at: z.number().int().nullable(),
  /** What was (or will be) POSTed. */
  body: z.unknown(),
});
export type DeliveryLogEntryT = z.infer<typeof DeliveryLogEntry>;

export const DeliveryLog = z.object({ deliveries: z.array(DeliveryLogEntry), next_before: z.number().int().nullable() });
export type DeliveryLogT = z.infer<typeof DeliveryLog>;

/** POST /v1/admin/sites/:site/deliveries/replay: send these again (same ids), or every failed one. */
export const ReplayInput = z.object({ ids: z.array(z.string().min(1).max(128)).min(1).max(500).optional() });

/** What the site's `handoff_url` receives for a survey answer set with a negative answer (a low
 * NPS score, a churn reason picked), when the survey sends them (`negative_to_webhook`). Free text
 * is the shopper's own words: show it as text. */
export interface SurveyWebhookBody {
  type: 'survey_negative';
  /** The delivery id (also `webhook-id`). */
  id: string;
  site: string;
  survey: { campaign: string; decision_id: string | null };
  /** When the set was answered (ISO 8601). */
  at: string;
  shopper: { visitor_id: string; user_id: string | null; anon_id: string };
  /** Every answer of the set, by question id; `negative` names the questions answered negatively. */
  answers: Record<string, string[]>;
  negative: string[];
}

/** What the site's `handoff_url` receives when a friend who came through a member's invite link
 * signs up, and when they place their first order (README, "Referrals"), so the shop can pay the
 * reward. One delivery per friend and step. */
export interface ReferralWebhookBody {
  type: 'referral';
  id: string;
  site: string;
  step: 'signed_up' | 'first_order';
  /** When the step happened (ISO 8601). */
  at: string;
  code: string;
  inviter: { user_id: string };
  friend: { anon_id: string; user_id: string | null };
  visited_at: string;
  order: { transaction_id: string | null; value: number | null } | null;
}
