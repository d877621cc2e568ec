import { visitorIds } from '../ingest/visitor-id';
import type { D1Reader } from '../lib/d1-reader';

/** The most browsers and member ids one shopper's history is gathered from. */
const MAX_IDS = 50;

/** Every visitor id one shopper's recommendation history is kept under: this browser's anonymous
 * id, its member ids (given, and linked to this browser), and the other browsers linked to those
 * members, so what was viewed on a laptop before logging in counts on the phone after. */
export async function shopperVisitorIds(db: D1Reader, site: string, anonId: string | undefined, userIds: readonly string[]): Promise<string[]> {
  const { results } = await db
    .prepare(
      `WITH users (user_id) AS (SELECT value FROM json_each(?2) UNION SELECT user_id FROM identity_links WHERE site = ?1 AND anon_id = ?3)
       SELECT 'u' AS kind, user_id AS id FROM users
       UNION SELECT 'a', anon_id FROM identity_links WHERE site = ?1 AND user_id IN (SELECT user_id FROM users) AND anon_id != ?3
       LIMIT ${MAX_IDS}`,
    )
    .bind(site, JSON.stringify(userIds), anonId ?? '')
    .all<{ kind: 'a' | 'u'; id: string }>();
  const others = results.filter((r) => r.kind === 'a').map((r) => `a:${r.id}`);
  return [...visitorIds(anonId, results.filter((r) => r.kind === 'u').map((r) => r.id)), ...others];
}
