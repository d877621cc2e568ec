import { Campaign, type CampaignT } from '../contract';
import { randomToken } from '../lib/crypto';

/** "Preview on my shop": the admin stores the campaign being edited (saved or not) under an
 * unguessable token that lives a few minutes; the shop page opened with `?tp_preview=<token>`
 * sends that URL to /v1/decide, which shows the campaign there. The first browser (anon id) that
 * uses a token owns it: the link does nothing in any other browser, and nothing is recorded, so a
 * preview never changes what shoppers see nor the report. */

export const PREVIEW_PARAM = 'tp_preview';
export const PREVIEW_TTL_SECONDS = 15 * 60;
/** Decisions of a preview carry ids with this prefix; report ingest leaves their events out. */
export const PREVIEW_DECISION_PREFIX = 'preview-';
const TOKEN = /^[A-Za-z0-9_-]{24,64}$/;

interface StoredPreview {
  campaign: CampaignT;
  expires_at: number;
  /** The browser that opened the link first; null until then. */
  anon_id: string | null;
}

const keyOf = (site: string, token: string) => `preview:${site}:${token}`;

export async function createPreview(kv: KVNamespace, site: string, campaign: CampaignT, now: number): Promise<{ token: string; expires_at: number }> {
  const token = randomToken(24);
  const expires_at = now + PREVIEW_TTL_SECONDS * 1000;
  const stored: StoredPreview = { campaign, expires_at, anon_id: null };
  await kv.put(keyOf(site, token), JSON.stringify(stored), { expirationTtl: PREVIEW_TTL_SECONDS });
  return { token, expires_at };
}

/** The campaign a page URL asks to preview for this browser, or null (no token, an unknown or
 * expired one, or one another browser opened first). */
export async function previewFor(kv: KVNamespace, site: string, pageUrl: string, anonId: string, now: number): Promise<{ campaign: CampaignT; token: string } | null> {
  let token: string | null;
  try {
    token = new URL(pageUrl).searchParams.get(PREVIEW_PARAM);
  } catch {
    return null;
  }
  if (!token || !TOKEN.test(token)) return null;
  const stored = await kv.get<StoredPreview>(keyOf(site, token), 'json');
  if (!stored || stored.expires_at <= now) return null;
  if (stored.anon_id !== null && stored.anon_id !== anonId) return null;
  if (stored.anon_id === null) {
    const ttl = Math.max(60, Math.ceil((stored.expires_at - now) / 1000));
    await kv.put(keyOf(site, token), JSON.stringify({ ...stored, anon_id: anonId }), { expirationTtl: ttl });
  }
  // Stored as validated; parsed again so a record from an older contract cannot reach the engine half-formed.
  const campaign = Campaign.safeParse(stored.campaign);
  return campaign.success ? { campaign: campaign.data, token } : null;
}
