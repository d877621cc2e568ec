/** Hard limits of the public contract. The SDK reads these too (type-only import is not enough
 * for values, so it keeps its own copies of the two it needs and a unit test keeps them equal). */
export const LIMITS = {
  /** Largest request body the collector reads; the SDK chunks beacons under it. */
  bodyBytes: 64 * 1024,
  eventsPerBatch: 100,
  /** Serialized `props` of one event. */
  propsBytes: 16 * 1024,
  /** Nesting depth of any JSON inside an event. */
  jsonDepth: 6,
  itemsPerEvent: 200,
  /** How old an event may be when it is sent: an outbox may sit offline this long. */
  maxEventAgeMs: 30 * 24 * 60 * 60 * 1000,
  /** How far ahead of its own batch's `sent_at` an event may claim to be. */
  maxEventLeadMs: 5 * 60 * 1000,
  /** A session (`session_id`) ends after this long without an event (the SDK's SESSION_MS, GA4's
   * default); the profile view takes a shopper's latest session as their visit until then. */
  sessionIdleMs: 30 * 60 * 1000,
} as const;

/** The shortest hot window (days raw events stay in D1, site setting `hot_window_days`): every
 * event the collector can still accept (up to maxEventAgeMs old, maxEventLeadMs ahead) must find
 * its id in D1, so dedupe by event id stays exact after older rows leave for the R2 archive. */
export const MIN_HOT_WINDOW_DAYS = Math.ceil((LIMITS.maxEventAgeMs + LIMITS.maxEventLeadMs) / 86_400_000);
export const DEFAULT_HOT_WINDOW_DAYS = 35;
