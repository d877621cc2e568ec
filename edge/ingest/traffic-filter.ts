/** The traffic filter (seed 003: no fake data): events from known bots and automated browsers,
 * from the shop's staff and from browsers flagged as test traffic never reach `events`, so
 * profiles, recommendations and reports never see them. They are not silently dropped: each is
 * kept in `excluded_events` with its reason (once per event id, like `events`), and the report
 * counts them by reason.
 *
 * Signals, strongest first: Cloudflare's bot management (`request.cf.botManagement`, on zones that
 * have it), the SDK's own word (`?webdriver=1` on the inbox URL: navigator.webdriver), the
 * User-Agent (crawlers, headless browsers, HTTP libraries), the site's `staff_user_ids`, and the
 * test flag a browser gets by opening any shop page with `?tp_test=1` (`?tp_test=0` ends it).
 * Events from the shop's server go through the same filter with SERVER_SIGNALS. */
import type { ExclusionReason, SiteSettingsT } from '../contract';
import { TtlCache } from '../lib/ttl-cache';
import type { AcceptedEvent } from '../contract/accepted-event';


/** Crawlers, preview fetchers, monitoring, headless and scripted browsers, HTTP libraries. Real
 * browsers' User-Agents carry none of these words. */
const BOT_USER_AGENT =
  /bot\b|bot\/|crawl|spider|slurp|mediapartners|facebookexternalhit|embedly|preview|headless|phantomjs|puppeteer|playwright|selenium|webdriver|lighthouse|pagespeed|gtmetrix|pingdom|uptime|python-|python\/|curl\/|wget\/|go-http-client|okhttp|java\/|node-fetch|axios\/|undici|scrapy|httpclient|libwww/i;

/** A site's test browsers, per isolate: a handful of staff browsers, read once a minute rather than
 * on every collect. A flag set through another isolate takes effect here within that minute. */
const TEST_BROWSERS_CACHE_MS = 60_000;
const testBrowserCache = new TtlCache<ReadonlySet<string>>(TEST_BROWSERS_CACHE_MS);

/** Cloudflare scores requests 1 (surely automated) to 99 (surely human); below 30 is "likely automated". */
const CLOUDFLARE_BOT_SCORE = 30;

/** What the request says about who sent it, read once per request. */
export interface RequestSignals {
  userAgent: string | undefined;
  /** `?webdriver=1` on the inbox URL: the SDK saw navigator.webdriver. */
  webdriver: boolean;
  /** `request.cf.botManagement`, where the zone has bot management. */
  botManagement?: { score?: number; verifiedBot?: boolean } | undefined;
}

export function requestSignals(request: Request): RequestSignals {
  const cf = (request as Request & { cf?: { botManagement?: RequestSignals['botManagement'] } }).cf;
  return {
    userAgent: request.headers.get('User-Agent') ?? undefined,
    webdriver: new URL(request.url).searchParams.get('webdriver') === '1',
    botManagement: cf?.botManagement,
  };
}

/** What a shop's server says of itself (POST /v1/admin/sites/:site/events): nothing. Its User-Agent
 * names an HTTP library, not a bot, and it holds the site's token; only its events' member ids
 * (staff) and browsers (test flags) can keep them out. */
export const SERVER_SIGNALS: RequestSignals = { userAgent: undefined, webdriver: false };

/** Why the request's sender is not a shopper, or null when nothing says so. A request without a
 * User-Agent is let through: nothing names it a bot (a shop's own server may post this way). */
export function requestExclusion(signals: RequestSignals): ExclusionReason | null {
  const bm = signals.botManagement;
  if (bm && (bm.verifiedBot || (typeof bm.score == 'number' && bm.score > 0 && bm.score < CLOUDFLARE_BOT_SCORE))) return 'cloudflare_bot';
  if (signals.webdriver) return 'webdriver';
  if (BOT_USER_AGENT.test(signals.userAgent ?? '')) return 'bot_user_agent';
  return null;
}

/** The test flag an event's page URL sets (true), ends (false), or leaves as it is (undefined). */
export function testFlagIn(url: string): boolean | undefined {
  const value = /[?&]tp_test=([01])(?:&|#|$)/.exec(url)?.[1];
  return value === undefined ? undefined : value === '1';
}

/** The one predicate: why this event is excluded, or null when it belongs in the data. */
export function exclusionOf(
  event: Pick<AcceptedEvent, 'user_id' | 'anon_id'>,
  requestReason: ExclusionReason | null,
  staff: ReadonlySet<string>,
  testBrowsers: ReadonlySet<string>,
): ExclusionReason | null {
  if (requestReason) return requestReason;
  if (event.user_id !== null && staff.has(event.user_id)) return 'staff';
  if (testBrowsers.has(event.anon_id)) return 'test_browser';
  return null;
}

export interface FilteredEvents {
  kept: AcceptedEvent[];
  /** Events kept out, newly counted or already counted (resent). */
  excluded: number;
}

/** Splits a batch's accepted events into those that go on to `events` and those kept out; the
 * latter are recorded with their reason, and test flags set or ended by the batch's page URLs
 * are stored. Shoppers' batches cost no D1 call (the test browsers are cached); a batch with
 * something to record costs one write batch. */
export async function filterTraffic(
  db: D1Database,
  site: Pick<SiteSettingsT, 'id' | 'staff_user_ids'>,
  events: readonly AcceptedEvent[],
  signals: RequestSignals,
  receivedAt: number,
): Promise<FilteredEvents> {
  if (events.length === 0) return { kept: [], excluded: 0 };
  const requestReason = requestExclusion(signals);
  const cached = await testBrowserCache.get(site.id, async () => {
    const rows = await db.prepare(`SELECT anon_id FROM test_browsers WHERE site = ?1 LIMIT 10000`).bind(site.id).all<{ anon_id: string }>();
    return new Set(rows.results.map((r) => r.anon_id));
  });
  const testBrowsers = new Set(cached);
  const staff = new Set(site.staff_user_ids);
  const reasons = new Map<AcceptedEvent, ExclusionReason | null>();
  const writes: D1PreparedStatement[] = [];
  // In event order: a page opened with ?tp_test=1 is itself test traffic, and the events after one with ?tp_test=0 are not.
  for (const event of [...events].sort((a, b) => a.ts - b.ts)) {
    const flag = testFlagIn(event.url);
    if (flag === true && !testBrowsers.has(event.anon_id)) {
      testBrowsers.add(event.anon_id);
      writes.push(db.prepare(`INSERT OR IGNORE INTO test_browsers (site, anon_id, since) VALUES (?1, ?2, ?3)`).bind(site.id, event.anon_id, receivedAt));
    } else if (flag === false && testBrowsers.delete(event.anon_id)) {
      writes.push(db.prepare(`DELETE FROM test_browsers WHERE site = ?1 AND anon_id = ?2`).bind(site.id, event.anon_id));
    }
    // Decided here, in order: the test flag as of this event.
    reasons.set(event, exclusionOf(event, requestReason, staff, testBrowsers));
  }
  const kept: AcceptedEvent[] = [];
  let excluded = 0;
  for (const event of events) {
    const reason = reasons.get(event);
    if (!reason) {
      kept.push(event);
      continue;
    }
    excluded++;
    writes.push(
      db
        .prepare(`INSERT OR IGNORE INTO excluded_events (site, id, reason, ts, anon_id, name) VALUES (?1, ?2, ?3, ?4, ?5, ?6)`)
        .bind(site.id, event.id, reason, event.ts, event.anon_id, event.name),
    );
  }
  if (writes.length > 0) await db.batch(writes);
  // This isolate's next batch sees the flags this one set or ended.
  if (testBrowsers.size != cached.size || [...testBrowsers].some((id) => !cached.has(id))) testBrowserCache.delete(site.id);
  return { kept, excluded };
}
