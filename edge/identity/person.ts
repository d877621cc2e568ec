/** The visitor ids one shopper is known under, read from identity links (and, for erasure, from
 * stored events). Kept apart from visitor.ts, which is pure and also runs outside workerd. */

/** The most browsers and member ids, beside this browser's own, one shopper's history is gathered from. */
const MAX_IDS = 50;

/** SQL common table expressions naming every visitor id one shopper's history is kept under
 * (`shopper (id)`): this browser's anonymous id, its member ids (given, and linked to this
 * browser), and the other browsers linked to those members, so what was viewed on a laptop before
 * logging in counts on the phone after. Computed inside the statement that reads the history, so
 * a shelf costs one round trip. Parameters: ?1 site, ?2 anon id ('' when none), ?3 the member ids
 * given (JSON array). */
export const SHOPPER_CTES = `users (user_id) AS (
    SELECT value FROM json_each(?3) UNION SELECT user_id FROM identity_links WHERE site = ?1 AND anon_id = ?2),
  shopper (id) AS (
    SELECT 'a:' || ?2 WHERE ?2 != ''
    UNION SELECT id FROM (
      SELECT 'u:' || user_id AS id FROM users
      UNION SELECT 'a:' || anon_id FROM identity_links WHERE site = ?1 AND user_id IN (SELECT user_id FROM users) AND anon_id != ?2
      LIMIT ${MAX_IDS}))`;

/** Everyone a visitor id stands for, as far as identity links, stored events (the hot window) and
 * the browsers the referral step saw sign in (kept for good) tell: erasing a
 * member erases every browser linked to it, and erasing a browser erases the member it signed in as. */
export async function personOf(db: D1Database, site: string, kind: 'a' | 'u', id: string): Promise<{ anons: string[]; users: string[] }> {
  const anons = new Set<string>(kind == 'a' ? [id] : []);
  const users = new Set<string>(kind == 'u' ? [id] : []);
  const fromAnons = async (list: string[]) =>
    list.length ? (await db.prepare(`SELECT DISTINCT user_id FROM identity_links WHERE site = ? AND anon_id IN (${list.map(() => '?').join()})`).bind(site, ...list).all<{ user_id: string }>()).results : [];
  const fromUsers = async (list: string[]) =>
    list.length
      ? (
          await db
            .prepare(
              `SELECT anon_id FROM identity_links WHERE site = ?1 AND user_id IN (${list.map((_, i) => `?${i + 2}`).join()})
               UNION SELECT DISTINCT anon_id FROM events WHERE site = ?1 AND user_id IN (${list.map((_, i) => `?${i + 2}`).join()})
               UNION SELECT anon_id FROM referral_browser_members WHERE site = ?1 AND user_id IN (${list.map((_, i) => `?${i + 2}`).join()})`,
            )
            .bind(site, ...list)
            .all<{ anon_id: string }>()
        ).results
      : [];
  for (const { user_id } of await fromAnons([...anons])) users.add(user_id);
  for (const { anon_id } of await fromUsers([...users])) anons.add(anon_id);
  return { anons: [...anons], users: [...users] };
}
