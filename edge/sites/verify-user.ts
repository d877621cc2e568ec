import type { SiteSettingsT } from '../contract';
import type { AcceptedEvent } from '../contract/accepted-event';
import { hmacSha256Hex, timingSafeEqualText } from '../lib/crypto';

/** Whether a user id from the browser may be believed: always on a site without an identity
 * secret; on one with a secret only with its user_hash, HMAC-SHA256(secret, user_id) in hex from
 * the shop's server, so knowing a member's id is not enough to read or write as them. One
 * checker per request: each id is hashed once. */
export function userVerifier(site: SiteSettingsT): (userId: string, userHash: string | undefined) => Promise<boolean> {
  const secret = site.identity_secret;
  if (!secret) return async () => true;
  const expected = new Map<string, Promise<string>>();
  return async (userId, userHash) => {
    if (!userHash) return false;
    if (!expected.has(userId)) expected.set(userId, hmacSha256Hex(secret, userId));
    return timingSafeEqualText(await expected.get(userId)!, userHash);
  };
}

/** Drops the user_id of accepted events whose user_hash (same index) does not prove it: they count
 * for the browser's anonymous id only. Returns how many. Nothing to do on a site without a secret. */
export async function forgetUnprovenUsers(site: SiteSettingsT, events: AcceptedEvent[], userHashes: readonly (string | undefined)[]): Promise<number> {
  if (!site.identity_secret) return 0;
  const proven = userVerifier(site);
  const unproven = await Promise.all(events.map(async (event, i) => event.user_id !== null && !(await proven(event.user_id, userHashes[i]))));
  unproven.forEach((drop, i) => drop && (events[i]!.user_id = null));
  return unproven.filter(Boolean).length;
}
