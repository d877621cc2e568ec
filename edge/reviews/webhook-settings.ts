import { WebhookSettings, type WebhookSettingsT } from '../contract';

const key = (site: string) => `webhook:${site}`;

export async function getWebhookSettings(kv: KVNamespace, site: string): Promise<WebhookSettingsT | null> {
  const stored = await kv.get(key(site), 'json');
  if (stored === null) return null;
  const parsed = WebhookSettings.safeParse(stored);
  if (!parsed.success) {
    console.error(`site ${site}: stored webhook settings are invalid`, parsed.error.issues);
    return null;
  }
  return { ...parsed.data, secret: standardSecret(parsed.data.secret) };
}

/** Secrets issued before deliveries were signed the Standard Webhooks way are base64url; the same
 * key bytes in standard base64 are what Standard Webhooks libraries read. */
function standardSecret(secret: string): string {
  const key = secret.slice('whsec_'.length);
  if (!/[-_]/.test(key) && key.length % 4 === 0) return secret;
  const base64 = key.replace(/-/g, '+').replace(/_/g, '/');
  return `whsec_${base64}${'='.repeat((4 - (base64.length % 4)) % 4)}`;
}

export async function putWebhookSettings(kv: KVNamespace, site: string, settings: WebhookSettingsT): Promise<void> {
  await kv.put(key(site), JSON.stringify(settings));
}
