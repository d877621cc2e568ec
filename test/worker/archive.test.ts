import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { archiveNextPart } from '../../edge/archive/archive-log';
import { archiveSite } from '../../edge/archive/cron';
import { gunzipText } from '../../edge/archive/gzip';
import { dayOf, partKey } from '../../edge/archive/layout';
import worker from '../../edge/index';
import { batchOf, createSite, makeEvent, OPERATOR_TOKEN, postCollect, send } from './helpers';
import { atShopHour, sendAt } from './shopper';

const DAY = 86_400_000;

/** Runs the worker's real cron handler as if it fired at `time`. */
async function cron(time: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: time, cron: '* * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const idsKept = async (site: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM event_ids WHERE site = ?').bind(site).first<{ n: number }>())!.n;

const d1Ids = async (site: string) =>
  (await env.DB.prepare('SELECT id FROM events WHERE site = ? ORDER BY id').bind(site).all<{ id: string }>()).results.map((r) => r.id);

/** Every line of every archived object of the site, read straight from R2 as an analyst would. */
async function archivedLines(site: string): Promise<{ id: string; anon_id: string; user_id: string | null; props: unknown; ts: number }[]> {
  const listed = await env.ARCHIVE.list({ prefix: `events/v1/site=${site}/` });
  const lines = [];
  for (const object of listed.objects) {
    const body = await env.ARCHIVE.get(object.key);
    lines.push(...(await gunzipText(body!.body)).split('\n').filter(Boolean).map((line) => JSON.parse(line)));
  }
  return lines;
}

/** D1 ∪ R2 holds every sent event exactly once: the archive never twice, and a row still in D1
 * whose day is archived counts once (it is the same event). */
async function expectEachOnce(site: string, sent: string[]) {
  const archived = (await archivedLines(site)).map((l) => l.id);
  expect(new Set(archived).size).toBe(archived.length);
  const all = new Set([...archived, ...(await d1Ids(site))]);
  expect([...all].sort()).toEqual([...sent].sort());
}

const sentEvents = new Map<string, unknown[]>();

/** When the tests' events are received: noon in the shop's zone, 03:00 UTC. The archive's days
 * are UTC days, so every event of a test lands on the day `dayOf` of this time names, whatever
 * the hour the tests run at (at Date.now() they could straddle UTC midnight). */
const sendingTime = () => atShopHour(12);

/** Three shoppers' events, received by the collector at `at`. */
async function collectShoppers(site: string, at: number) {
  const sent: string[] = [];
  sentEvents.set(site, []);
  for (const [anon, user] of [['anon-arch-a', 'member-arch-1'], ['anon-arch-b', null], ['anon-arch-c', null]] as const) {
    const events = Array.from({ length: 10 }, (_, i) =>
      makeEvent({ anon_id: anon, session_id: `sess-${anon}`, ...(user ? { user_id: user } : {}), ts: at - 1000, name: i % 2 ? 'page_view' : 'view_item', props: i % 2 ? { title: '홈' } : { items: [{ item_id: `SKU-${i}`, item_name: '머그', price: 12000 }] } }),
    );
    expect((await sendAt(at, '/v1/collect', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(batchOf(site, events, at)) })).status).toBe(202);
    sentEvents.get(site)!.push(...events);
    sent.push(...events.map((e) => e.id));
  }
  return sent;
}

describe('the event archive in R2', () => {
  it('archives a finished day to gzip NDJSON, then keeps only its ids in D1 for the hot window; each event once', async () => {
    const site = await createSite();
    const now = sendingTime();
    const sent = await collectShoppers(site.id, now);
    const today = dayOf(now);

    // The day is not over: nothing is archived.
    await cron(now);
    expect(await archivedLines(site.id)).toHaveLength(0);

    await cron(now + DAY + 3_600_000);
    const lines = await archivedLines(site.id);
    expect(lines).toHaveLength(30);
    await expectEachOnce(site.id, sent);
    // Archived and applied: the rows leave D1, their ids stay for dedupe.
    expect(await d1Ids(site.id)).toHaveLength(0);
    expect(await idsKept(site.id)).toBe(30);
    // A resent event still finds its id: stored once, archived once.
    expect((await postCollect(batchOf(site.id, sentEvents.get(site.id)!.slice(0, 5)))).status).toBe(202);
    expect(await d1Ids(site.id)).toHaveLength(0);
    // Every field the collector accepted, props as JSON.
    expect(lines.find((l) => l.props && (l.props as { items?: unknown[] }).items)).toMatchObject({ props: { items: [{ item_id: expect.any(String), item_name: '머그', price: 12000 }] } });
    const head = await env.ARCHIVE.head(partKey(site.id, today, 0));
    expect(head?.size).toBeGreaterThan(0);

    const list = await send(`/v1/admin/sites/${site.id}/archive`, { headers: { Authorization: `Bearer ${site.token}` } });
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ hot_window_days: 35, days: [{ day: today, parts: 1, events: 30, complete: true, in_d1: false }] });

    // Again: idempotent, nothing archived twice.
    await cron(now + DAY + 7_200_000);
    expect(await archivedLines(site.id)).toHaveLength(30);

    // Past the hot window the ids go too; the archive keeps the events.
    await cron(now + 20 * DAY);
    expect(await idsKept(site.id)).toBe(30);
    await cron(now + 37 * DAY);
    expect(await idsKept(site.id)).toBe(0);
    await expectEachOnce(site.id, sent);
    const batches = await env.DB.prepare('SELECT count(*) AS n FROM ingest_batches WHERE site = ?').bind(site.id).first<{ n: number }>();
    expect(batches!.n).toBe(0);
  });

  it('downloads one day as gzip NDJSON with the site token, and refuses without it', async () => {
    const site = await createSite();
    const now = sendingTime();
    const sent = await collectShoppers(site.id, now);
    await cron(now + DAY + 3_600_000);
    const path = `/v1/admin/sites/${site.id}/archive/${dayOf(now)}`;
    expect((await send(path)).status).toBe(401);
    const response = await send(path, { headers: { Authorization: `Bearer ${site.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/gzip');
    const ids = (await gunzipText(await response.arrayBuffer())).split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids.sort()).toEqual([...sent].sort());
    const missing = await send(`/v1/admin/sites/${site.id}/archive/2001-01-01`, { headers: { Authorization: `Bearer ${site.token}` } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('day_not_archived');
  });

  it('leaves the day in D1 when R2 fails mid-archive, and archives it once on the next run', async () => {
    const site = await createSite();
    const now = sendingTime();
    const sent = await collectShoppers(site.id, now);
    const later = now + DAY + 3_600_000;
    // The object is put, then R2 fails before it is verified: as if the run crashed there.
    const failing = { ...env, ARCHIVE: new Proxy(env.ARCHIVE, { get: (target, key) => (key === 'head' ? () => Promise.reject(new Error('R2 down')) : Reflect.get(target, key).bind(target)) }) };
    await expect(archiveSite(failing, site.id, 35, later)).rejects.toThrow('R2 down');
    expect(await d1Ids(site.id)).toHaveLength(30);
    const manifest = await env.DB.prepare('SELECT count(*) AS n FROM archive_parts WHERE site = ?').bind(site.id).first<{ n: number }>();
    expect(manifest!.n).toBe(0);
    // The lease the failed run held is gone (released in finally), so the next run proceeds.
    await archiveSite(env, site.id, 35, later);
    await archiveSite(env, site.id, 35, later + 60_000);
    expect(await archivedLines(site.id)).toHaveLength(30);
    await expectEachOnce(site.id, sent);
  });

  it('erasing a shopper rewrites the archived days that hold them', async () => {
    const site = await createSite();
    const now = sendingTime();
    const sent = await collectShoppers(site.id, now);
    await cron(now + DAY + 3_600_000);
    expect((await archivedLines(site.id)).filter((l) => l.anon_id === 'anon-arch-a')).toHaveLength(10);
    const erased = await send(`/v1/admin/sites/${site.id}/visitors/u:member-arch-1`, { method: 'DELETE', headers: { Authorization: `Bearer ${site.token}` } });
    expect(erased.status).toBe(200);
    await cron(now + DAY + 3_700_000);
    const lines = await archivedLines(site.id);
    expect(lines.filter((l) => l.anon_id === 'anon-arch-a' || l.user_id === 'member-arch-1')).toHaveLength(0);
    expect(lines).toHaveLength(20);
    await expectEachOnce(site.id, sent.slice(10));
    const list = (await (await send(`/v1/admin/sites/${site.id}/archive`, { headers: { Authorization: `Bearer ${site.token}` } })).json()) as { days: { events: number }[] };
    expect(list.days[0]!.events).toBe(20);
    // Once carried into the archive, the erasure keeps no ids.
    const left = await env.DB.prepare('SELECT count(*) AS n FROM archive_erasures WHERE site = ?').bind(site.id).first<{ n: number }>();
    expect(left!.n).toBe(0);
  });
});

describe('the hot window setting', () => {
  const putSite = (id: string, body: unknown) =>
    send(`/v1/admin/sites/${id}`, { method: 'PUT', headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('refuses a hot window shorter than the dedupe horizon', async () => {
    const site = await createSite();
    const response = await putSite(site.id, { allowed_origins: ['https://shop.example'], hot_window_days: 7 });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_settings');
    expect(body.error.message).toContain('hot_window_days');
    expect(body.error.message).toContain('31');
  });

  it('refuses a hot window shorter than an attribution window, and a window longer than the hot window', async () => {
    const site = await createSite({ hot_window_days: 90 });
    const config = { attribution: { click_days: 60, impression_days: 1 } };
    const saveConfig = () =>
      send(`/v1/admin/sites/${site.id}/config`, { method: 'PUT', headers: { Authorization: `Bearer ${site.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(config) });
    expect((await saveConfig()).status).toBe(200);
    const shorter = await putSite(site.id, { allowed_origins: ['https://shop.example'], hot_window_days: 40 });
    expect(shorter.status).toBe(400);
    expect(((await shorter.json()) as { error: { code: string } }).error.code).toBe('hot_window_too_short');

    const other = await createSite();
    const refused = await send(`/v1/admin/sites/${other.id}/config`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${other.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(config),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('attribution_beyond_hot_window');
  });
});

describe('a day in several parts', () => {
  it('continues each part where the last ended, and downloads the parts as one file', async () => {
    const site = await createSite();
    const now = sendingTime();
    const sent = await collectShoppers(site.id, now);
    const later = now + DAY + 3_600_000;
    const sizes: number[] = [];
    for (let part; (part = await archiveNextPart(env.DB, env.ARCHIVE, site.id, later, 7)); ) sizes.push(part.events);
    expect(sizes).toEqual([7, 7, 7, 7, 2]);
    await expectEachOnce(site.id, sent);
    const response = await send(`/v1/admin/sites/${site.id}/archive/${dayOf(now)}`, { headers: { Authorization: `Bearer ${site.token}` } });
    const ids = (await gunzipText(await response.arrayBuffer())).split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids.sort()).toEqual([...sent].sort());
  });
});
