import { z } from 'zod';
import { HttpUrl } from './primitives';

/** PUT /v1/admin/sites/:site/webhooks. `reviews_url: null` turns review delivery off. */
export const WebhookSettingsInput = z.object({
  reviews_url: HttpUrl.nullable(),
  /** Issue a new signing secret (the old one stops verifying at once). */
  rotate_secret: z.boolean().default(false),
});

/** Stored in KV under `webhook:<site>`; the admin API shows it whole (the secret signs, it does not authorise). */
export const WebhookSettings = z.object({
  reviews_url: HttpUrl.nullable(),
  secret: z.string().min(16),
});
export type WebhookSettingsT = z.infer<typeof WebhookSettings>;

/** The body POSTed to `reviews_url`, one review per request. Signed in the `Touchpoint-Signature`
 * header as `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" under the secret>`. */
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
