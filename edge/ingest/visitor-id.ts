/** The visitor an event belongs to, as profiles key them: 'u:<user_id>' for members, else
 * 'a:<anon_id>'. SQL over `events e`. */
export const VISITOR_OF_EVENT = `CASE WHEN e.user_id IS NOT NULL THEN 'u:' || e.user_id ELSE 'a:' || e.anon_id END`;

/** The visitor ids a browser may be known under: its anonymous id and, once identified, its member id. */
export function visitorIds(anonId: string | undefined, userIds: readonly string[]): string[] {
  return [...(anonId ? [`a:${anonId}`] : []), ...new Set(userIds.map((id) => `u:${id}`))];
}
