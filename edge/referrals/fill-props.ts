import type { WidgetPropsOf } from '../contract';
import type { Decided } from '../decide/engine';
import { referralStatsFor } from './codes';

/** Gives shown referral decisions the member's invite link (the campaign's landing page with
 * `tp_ref=<code>`) and friend counts. Decisions it cannot fill are dropped: a card without the
 * shopper's own link has nothing to offer. Returns the decisions to keep. */
export async function fillReferrals(db: D1Database, site: string, visitorId: string, decided: Decided[], now: number): Promise<Decided[]> {
  const cards = decided.filter((d) => d.template === 'referral' && !d.holdout);
  if (cards.length === 0) return decided;
  const failed = new Set<Decided>();
  try {
    if (!visitorId.startsWith('u:')) throw new Error('referral decided for a guest');
    const stats = await referralStatsFor(db, site, visitorId, now);
    for (const d of cards) {
      const { landing_url, ...rest } = d.props as { landing_url: string } & Record<string, unknown>;
      const link = new URL(landing_url);
      link.searchParams.set('tp_ref', stats.code);
      d.props = { ...rest, link: link.href, code: stats.code, friends_joined: stats.friends_joined, friends_ordered: stats.friends_ordered } as WidgetPropsOf<'referral'>;
    }
  } catch (err) {
    console.error('referral card not filled in', err);
    cards.forEach((d) => failed.add(d));
  }
  return decided.filter((d) => !failed.has(d));
}
