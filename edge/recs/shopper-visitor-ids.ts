/** The most browsers and member ids, beside this browser's own, one shopper's history is gathered from. */
const MAX_IDS = 50;

/** SQL common table expressions naming every visitor id one shopper's recommendation history is
 * kept under (`shopper (id)`): this browser's anonymous id, its member ids (given, and linked to
 * this browser), and the other browsers linked to those members, so what was viewed on a laptop
 * before logging in counts on the phone after. Computed inside the statement that reads the
 * history, so a shelf costs one round trip. Parameters: ?1 site, ?2 anon id ('' when none), ?3 the
 * member ids given (JSON array). */
export const SHOPPER_CTES = `users (user_id) AS (
    SELECT value FROM json_each(?3) UNION SELECT user_id FROM identity_links WHERE site = ?1 AND anon_id = ?2),
  shopper (id) AS (
    SELECT 'a:' || ?2 WHERE ?2 != ''
    UNION SELECT id FROM (
      SELECT 'u:' || user_id AS id FROM users
      UNION SELECT 'a:' || anon_id FROM identity_links WHERE site = ?1 AND user_id IN (SELECT user_id FROM users) AND anon_id != ?2
      LIMIT ${MAX_IDS}))`;
