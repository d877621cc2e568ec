// The traffic filter at ingest: bots, automated browsers, staff and test browsers are kept out of
// events, profiles and reports, counted by reason in the report; shoppers go on as before. Also
// first-party serving's neutral alias and shop prefixes, which reach the same collector.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { requestExclusion, testFlagIn } from '../../edge/ingest/traffic-filter';
import { batchOf, countEvents, createSite, makeEvent, postCollect, send } from './helpers';
import { report } from './report-helpers';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const HEADLESS = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36';

const profiles = async (site: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM profiles WHERE site = ?').bind(site).first<{ n: number }>())?.n ?? 0;
const excludedRows = async (site: string) =>
  (await env.DB.prepare('SELECT reason, count(*) AS n FROM excluded_events WHERE site = ? GROUP BY reason ORDER BY reason').bind(site).all<{ reason: string; n: number }>()).results;

describe('the traffic filter', () => {
  it('reads bots from the User-Agent, Cloudflare bot management and the SDK, and lets browsers through', () => {
    const signals = (userAgent: string | undefined, more = {}) => ({ userAgent, webdriver: false, ...more });
    expect(requestExclusion(signals(CHROME))).toBeNull();
    expect(requestExclusion(signals(undefined))).toBeNull();
    expect(requestExclusion(signals(GOOGLEBOT))).toBe('bot_user_agent');
    expect(requestExclusion(signals(HEADLESS))).toBe('bot_user_agent');
    expect(requestExclusion(signals('python-requests/2.32'))).toBe('bot_user_agent');
    expect(requestExclusion(signals('facebookexternalhit/1.1'))).toBe('bot_user_agent');
    expect(requestExclusion(signals(CHROME, { webdriver: true }))).toBe('webdriver');
    expect(requestExclusion(signals(CHROME, { botManagement: { score: 1 } }))).toBe('cloudflare_bot');
    expect(requestExclusion(signals(CHROME, { botManagement: { verifiedBot: true, score: 90 } }))).toBe('cloudflare_bot');
    // Score 0: not computed (no bot management on the zone), not "surely a bot".
    expect(requestExclusion(signals(CHROME, { botManagement: { score: 0 } }))).toBeNull();
    expect(requestExclusion(signals(CHROME, { botManagement: { score: 95 } }))).toBeNull();
    expect(testFlagIn('https://shop.example/?tp_test=1')).toBe(true);
    expect(testFlagIn('https://shop.example/p?a=b&tp_test=0#top')).toBe(false);
    expect(testFlagIn('https://shop.example/p?tp_test=10')).toBeUndefined();
    expect(testFlagIn('https://shop.example/p')).toBeUndefined();
  });

  it('keeps a crawler and an automated browser out of events and profiles, counts them, and says so', async () => {
    const site = await createSite();
    const bot = await postCollect(batchOf(site.id, [makeEvent({ anon_id: 'anon-crawler1' }), makeEvent({ anon_id: 'anon-crawler1' })]), { 'User-Agent': GOOGLEBOT });
    expect(await bot.json()).toEqual({ accepted: 0, duplicates: 0, rejected: [], excluded: 2 });
    const automated = await send('/v1/inbox?webdriver=1', {
      method: 'POST',
      headers: { 'User-Agent': CHROME },
      body: JSON.stringify(batchOf(site.id, [makeEvent({ anon_id: 'anon-automat1' })])),
    });
    expect(((await automated.json()) as { excluded: number }).excluded).toBe(1);
    const shopper = await postCollect(batchOf(site.id, [makeEvent({ anon_id: 'anon-shopper1' })]), { 'User-Agent': CHROME });
    expect(await shopper.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });

    expect(await countEvents(site.id)).toBe(1);
    expect(await profiles(site.id)).toBe(1);
    expect(await excludedRows(site.id)).toEqual([
      { reason: 'bot_user_agent', n: 2 },
      { reason: 'webdriver', n: 1 },
    ]);
    // A resent excluded event is counted once, as a resent event is stored once.
    const again = makeEvent({ anon_id: 'anon-crawler1' });
    await postCollect(batchOf(site.id, [again]), { 'User-Agent': GOOGLEBOT });
    await postCollect(batchOf(site.id, [again]), { 'User-Agent': GOOGLEBOT });
    const { excluded_events } = await report(site.id);
    expect(excluded_events).toEqual({ total: 4, by_reason: { cloudflare_bot: 0, webdriver: 1, bot_user_agent: 3, staff: 0, test_browser: 0 } });
  });

  it("keeps the site's staff members out, by their member id", async () => {
    const site = await createSite({ staff_user_ids: ['staff-7'] });
    await postCollect(batchOf(site.id, [makeEvent({ anon_id: 'anon-staff001', user_id: 'staff-7' }), makeEvent({ anon_id: 'anon-member01', user_id: 'member-8' })]), { 'User-Agent': CHROME });
    expect(await countEvents(site.id)).toBe(1);
    expect(await excludedRows(site.id)).toEqual([{ reason: 'staff', n: 1 }]);
    const settings = await send(`/v1/admin/sites/${site.id}`, { method: 'PUT', headers: { Authorization: 'Bearer test-operator-token-0123456789', 'Content-Type': 'application/json' }, body: JSON.stringify({ staff_user_ids: ['x'.repeat(129)] }) });
    expect(settings.status).toBe(400);
  });

  it("keeps staff members' events from the shop's server out too, counted like the collector's", async () => {
    const site = await createSite({ staff_user_ids: ['staff-7'] });
    const fromServer = (events: unknown[]) =>
      send(`/v1/admin/sites/${site.id}/events`, {
        method: 'POST',
        // A shop's server speaks through an HTTP library: that alone keeps nothing out.
        headers: { Authorization: `Bearer ${site.token}`, 'Content-Type': 'application/json', 'User-Agent': 'node-fetch/3.3' },
        body: JSON.stringify({ events }),
      });
    const staffOrder = { id: `srv-${crypto.randomUUID()}`, name: 'sign_up', user_id: 'staff-7', props: {} };
    const memberOrder = { id: `srv-${crypto.randomUUID()}`, name: 'sign_up', user_id: 'member-8', props: {} };
    const first = await fromServer([staffOrder, memberOrder]);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [], excluded: 1 });
    // Resent: counted once, as a resent event is stored once.
    await fromServer([staffOrder]);
    expect(await countEvents(site.id)).toBe(1);
    expect(await excludedRows(site.id)).toEqual([{ reason: 'staff', n: 1 }]);
    expect((await report(site.id)).excluded_events.by_reason.staff).toBe(1);
    // The site's own token edits the list (the admin's settings page); a bad list changes nothing.
    const staffList = (body: unknown) =>
      send(`/v1/admin/sites/${site.id}/staff`, { method: 'PUT', headers: { Authorization: `Bearer ${site.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const bad = await staffList({ staff_user_ids: ['staff-7', 'x'.repeat(129)] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_settings');
    expect((await staffList({ staff_user_ids: 'staff-7' })).status).toBe(400);
    expect(((await (await send(`/v1/admin/sites/${site.id}`, { headers: { Authorization: `Bearer ${site.token}` } })).json()) as { staff_user_ids: string[] }).staff_user_ids).toEqual(['staff-7']);
    const saved = await staffList({ staff_user_ids: [' member-8 ', 'member-8'] });
    expect(await saved.json()).toEqual({ staff_user_ids: ['member-8'] });
    // Off the list, staff-7's server events are a shopper's again; member-8's are staff's now.
    const again = await fromServer([{ ...staffOrder, id: `srv-${crypto.randomUUID()}` }, { ...memberOrder, id: `srv-${crypto.randomUUID()}` }]);
    expect(await again.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [], excluded: 1 });
    expect(((await (await send(`/v1/admin/sites/${site.id}`, { headers: { Authorization: `Bearer ${site.token}` } })).json()) as { allowed_origins: string[] }).allowed_origins).toEqual(['https://shop.example']);
    expect(await countEvents(site.id)).toBe(2);
  });

  it('flags a browser as test traffic from ?tp_test=1 until ?tp_test=0', async () => {
    const site = await createSite();
    const tester = { anon_id: 'anon-tester01' };
    const ts = Date.now() - 10_000;
    await postCollect(batchOf(site.id, [makeEvent({ ...tester, ts, url: 'https://shop.example/?tp_test=1' }), makeEvent({ ...tester, ts: ts + 1 })]), { 'User-Agent': CHROME });
    // Later batches of the same browser, without the flag in their URLs, are test traffic too.
    await postCollect(batchOf(site.id, [makeEvent({ ...tester, ts: ts + 2 })]), { 'User-Agent': CHROME });
    expect(await countEvents(site.id)).toBe(0);
    await postCollect(batchOf(site.id, [makeEvent({ ...tester, ts: ts + 3, url: 'https://shop.example/?tp_test=0' }), makeEvent({ ...tester, ts: ts + 4 })]), { 'User-Agent': CHROME });
    expect(await countEvents(site.id)).toBe(2);
    expect(await excludedRows(site.id)).toEqual([{ reason: 'test_browser', n: 3 }]);
    // Another browser is not affected.
    await postCollect(batchOf(site.id, [makeEvent({ anon_id: 'anon-other001' })]), { 'User-Agent': CHROME });
    expect(await countEvents(site.id)).toBe(3);
  });
});

describe('first-party paths', () => {
  it('takes events at the neutral /v1/inbox and under a prefix the shop picked, like /v1/collect', async () => {
    const site = await createSite();
    for (const path of ['/v1/inbox', '/px/v1/inbox', '/shop/t/v1/collect']) {
      const response = await send(path, { method: 'POST', headers: { 'User-Agent': CHROME, Origin: 'https://shop.example' }, body: JSON.stringify(batchOf(site.id, [makeEvent()])) });
      expect(response.status, path).toBe(202);
      expect(response.headers.get('Access-Control-Allow-Origin'), path).toBe('https://shop.example');
    }
    expect(await countEvents(site.id)).toBe(3);
    const decide = await send('/px/v1/decide', {
      method: 'POST',
      headers: { 'User-Agent': CHROME },
      body: JSON.stringify({ site: site.id, anon_id: 'anon-0000001', session_id: 'sess-0000001', page: { url: 'https://shop.example/' }, consent: { analytics: true, marketing: true } }),
    });
    expect(decide.status).toBe(200);
    // Only the public paths: nothing else is reachable under a prefix.
    expect((await send(`/px/v1/admin/sites/${site.id}`)).status).toBe(404);
    expect((await send('/../v1/inbox', { method: 'POST', body: '{}' })).status).not.toBe(202);
  });
});
