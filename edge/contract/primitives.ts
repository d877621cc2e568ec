import { z } from 'zod';

/** Ids minted by clients (event ids, anonymous ids, session ids): UUIDs, ULIDs, nanoids. */
export const ClientId = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'may only hold letters, digits, "-" and "_"');

/** A site id appears in URLs and KV keys, so it is kept to a slug. */
export const SiteId = z
  .string()
  .min(1, 'is required')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and "-"');

/** Spelled the usual way, the scheme is already known and only parsing is left to check (without
 * building a URL object: every event's URL comes through here). */
const PLAIN_HTTP = /^https?:\/\//;

export const isHttpUrl = (value: string): boolean => {
  if (PLAIN_HTTP.test(value)) return URL.canParse(value);
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
};

export const HttpUrl = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine(isHttpUrl, 'must be an absolute http(s) URL');

export const Text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

/** Epoch milliseconds between 2020 and 2100: anything else is a broken clock or a unit mix-up. */
export const EpochMs = z
  .number()
  .int('must be whole milliseconds since the epoch')
  .min(Date.UTC(2020, 0, 1), 'must be epoch milliseconds after 2020 (seconds were sent?)')
  .max(Date.UTC(2100, 0, 1), 'must be epoch milliseconds before 2100');

export const Money = z.number().finite().min(0, 'must not be negative').max(1e13, 'is too large');

/** HMAC-SHA256(site identity secret, user_id) in lowercase hex: the shop's server vouches for a
 * member id. Not refused when malformed: a wrong hash only fails to prove the id (the event is kept
 * for the anonymous browser), so a shop's mistake in computing it loses no events. */
export const UserHash = z.string().max(128);
