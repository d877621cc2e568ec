/** Which visitor an event, a request or a person is — the one place that answers it.
 *
 * Visitor ids are 'u:<user_id>' for members and 'a:<anon_id>' for browsers. Two answers exist on
 * purpose: the id *as recorded* (the member the event names, else its browser), which per-event
 * rows such as leads, reviews and recommendation history are kept under; and the *profile* id,
 * which also follows identity_links, so a browser that once signed in counts for its member.
 * Readers that gather a shopper's rows ask for every id the shopper may be known under
 * (edge/identity/person.ts, which reads them from D1). */

/** Who did something: the member when known, else the browser. */
export interface IdentityKey {
  anon_id: string;
  user_id: string | null;
}

/** The visitor id of a member or a browser, as recorded (no identity link followed). */
export function visitorIdOf(key: { anon_id: string; user_id?: string | null }): string {
  return key.user_id ? `u:${key.user_id}` : `a:${key.anon_id}`;
}

/** The visitor ids a browser may be known under: its anonymous id and, once identified, its member id. */
export function visitorIds(anonId: string | undefined, userIds: readonly string[]): string[] {
  return [...(anonId ? [`a:${anonId}`] : []), ...new Set(userIds.map((id) => `u:${id}`))];
}

/** SQL, as recorded: the visitor id of the event row `alias` (member else browser). */
export const recordedVisitorOf = (alias = 'e') =>
  `CASE WHEN ${alias}.user_id IS NOT NULL THEN 'u:' || ${alias}.user_id ELSE 'a:' || ${alias}.anon_id END`;

/** SQL, the profile id (`:site` bound): the member when the event names one or the browser is
 * linked to one, else the browser. Evaluated inside the pipeline's transaction, so a link made by
 * an earlier statement of it counts. */
export const profileVisitorOf = (userExpr: string, anonExpr: string) =>
  `COALESCE('u:' || ${userExpr}, (SELECT 'u:' || l.user_id FROM identity_links l WHERE l.site = :site AND l.anon_id = ${anonExpr}), 'a:' || ${anonExpr})`;

/** SQL CTE `ids (eid, vid)`: every visitor id a shopper's decisions may be recorded under, per event
 * of the CTE `ev (eid, anon_id, user_id)`: its anonymous id, its member id (named by the event or
 * linked to its anonymous id), and the other anonymous ids linked to that member. So decisions
 * made while anonymous, on any device, are credited with conversions made after login. */
export const IDENTITY_IDS = `ids (eid, vid) AS (
  SELECT ev.eid, 'a:' || ev.anon_id FROM ev
  UNION SELECT ev.eid, 'u:' || coalesce(ev.user_id, l.user_id) FROM ev
    LEFT JOIN identity_links l ON l.site = :site AND l.anon_id = ev.anon_id WHERE coalesce(ev.user_id, l.user_id) IS NOT NULL
  UNION SELECT ev.eid, 'a:' || o.anon_id FROM ev
    LEFT JOIN identity_links l ON l.site = :site AND l.anon_id = ev.anon_id
    JOIN identity_links o ON o.site = :site AND o.user_id = coalesce(ev.user_id, l.user_id))`;

/** SQL list of the ids a deciding request's shopper is known under (?1 site, ?2 anon id, ?3
 * 'u:<user>' from the request or NULL): the member, the browser, and the member the browser is linked to. */
export const REQUEST_VISITOR_IDS = `(?3, 'a:' || ?2, (SELECT 'u:' || user_id FROM identity_links WHERE site = ?1 AND anon_id = ?2))`;
