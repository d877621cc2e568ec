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
  return parsed.data;
}

export async function putWebhookSettings(kv: KVNamespace, site: string, settings: WebhookSettingsT): Promise<void> {
  await kv.put(key(site), JSON.stringify(settings));
}
