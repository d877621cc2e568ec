import { z } from 'zod';
import { DEFAULT_TIMEZONE, isTimeZone } from '../lib/site-time';
import { DEFAULT_HOT_WINDOW_DAYS, MIN_HOT_WINDOW_DAYS } from './limits';
import { SiteId } from './primitives';

/** `https://shop.example`, `https://*.shop.example` (any subdomain) or `http://localhost:*` (any port). */
export const OriginPattern = z
  .string()
  .max(256)
  .regex(/^https?:\/\/(\*\.)?[a-z0-9.-]+(:(\d{1,5}|\*))?$/i, 'must look like https://shop.example, https://*.shop.example or http://localhost:*');

/** Operational settings of one site, stored in KV under `site:<id>`. Marketing config is separate. */
export const SiteSettings = z.object({
  id: SiteId,
  name: z.string().max(200).default(''),
  allowed_origins: z.array(OriginPattern).max(50).default([]),
  consent_mode: z.enum(['opt-in', 'opt-out']).default('opt-out'),
  /** The shop's IANA time zone: report days, "per day" caps and hand-off quiet hours start at its midnight. */
  timezone: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Asia/Seoul').default(DEFAULT_TIMEZONE),
  /** ISO 4217 code of the shop's currency: purchase values, benefit costs and report money are in it. */
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as KRW').default('KRW'),
  /** Gross margin on revenue, in percent: the report turns incremental revenue into incremental margin with it. */
  gross_margin_percent: z.number().min(0).max(100).default(30),
  /** Share of shoppers in the store-wide control group: they never see a prompt nor get a hand-off
   * (edge/decide/control-group.ts), so the report can tell what Touchpoint as a whole earns. */
  control_group_percent: z.number().min(0).max(50).default(5),
  /** Days raw events stay in D1 after they arrive; the R2 archive (`ARCHIVE`) keeps them for good.
   * Never shorter than the collector's dedupe horizon, nor than the config's attribution windows. */
  hot_window_days: z
    .number()
    .int('must be a whole number of days')
    .min(MIN_HOT_WINDOW_DAYS, `must be at least ${MIN_HOT_WINDOW_DAYS} days: the collector accepts events up to 30 days old and recognises a resent one by its id in D1`)
    .max(3650)
    .default(DEFAULT_HOT_WINDOW_DAYS),
  /** The D1 binding that holds this site's rows (README, "A database per shop"), e.g. "DB_SHOP_X";
   * absent, the shared `DB`. Fixed once the site exists: moving a site between databases is an
   * operator's export and import, not a settings change. */
  database: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be the name of a D1 binding in wrangler.toml, such as DB_SHOP_X')
    .optional(),
  /** Member ids (identify() user ids) of the shop's staff: their events are kept out of profiles,
   * recommendations and reports, and counted as excluded (edge/ingest/traffic-filter.ts). */
  staff_user_ids: z.array(z.string().min(1).max(128)).max(500, 'must hold at most 500 member ids').default([]),
  rate: z
    .object({
      /** Sustained events per second the collector takes from this site (per edge isolate). */
      events_per_second: z.number().int().min(1).max(1_000_000).default(500),
      /** Events allowed in a burst above the sustained rate. */
      burst: z.number().int().min(1).max(10_000_000).default(5_000),
    })
    .prefault({}),
  /** SHA-256 (hex) of the site's admin bearer token; the token itself is never stored. */
  admin_token_sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** Set, the site trusts a user id from the browser only with its user_hash, HMAC-SHA256 of the
   * id under this secret, computed by the shop's server. Write-only: never shown again. */
  identity_secret: z.string().min(32, 'must be at least 32 characters').max(256).optional(),
});
export type SiteSettingsT = z.infer<typeof SiteSettings>;

/** What an operator sends to create or update a site. */
export const SiteSettingsInput = SiteSettings.omit({ id: true, admin_token_sha256: true, identity_secret: true }).extend({
  /** Set or replace the identity secret; `null` turns verification off. Left out, the current one stays. */
  identity_secret: SiteSettings.shape.identity_secret.unwrap().nullable().optional(),
  /** Optional: set the site's admin token; when creating without one, a token is generated and returned once. */
  admin_token: z.string().min(24, 'must be at least 24 characters').max(256).optional(),
});
