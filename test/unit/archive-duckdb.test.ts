// The event archive read back as a shop's analyst would: the real worker under `wrangler dev`
// (local D1 and R2) collects events, its cron archives the day to R2 and prunes D1, the admin
// download route hands each archived day over, and DuckDB's read_json_auto reads the gzip NDJSON
// files. Every event sent is counted exactly once across D1 and the archive.
import { DuckDBInstance } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build scripts, no declarations
import { build } from '../../scripts/build.mjs';
// @ts-expect-error plain ESM build scripts, no declarations
import { ensureSite, ROOT, startWorker } from '../../scripts/lib/dev-worker.mjs';

const TOKEN = 'duckdb-test-operator-token-0123456789';
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'touchpoint-duckdb-'));
const persistTo = join(dir, 'state');
const downloads = join(dir, 'archive');
let worker: { url: string; stop: () => Promise<void> };

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'public'))) await build({ quiet: true });
  worker = await startWorker({ persistTo, adminToken: TOKEN, logLevel: 'warn' });
  await ensureSite(worker.url, TOKEN, 'shop', { allowed_origins: ['http://localhost:*'], rate: { events_per_second: 100_000, burst: 1_000_000 } });
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const auth = { Authorization: `Bearer ${TOKEN}` };

type SentEvent = { id: string; name: string; ts: number; anon_id: string; session_id: string; url: string; props: Record<string, unknown>; user_id?: string };

function shopperEvents(count: number): SentEvent[] {
  const visitors = [{ anon: randomUUID(), user: 'member-duck-1' }, { anon: randomUUID() }, { anon: randomUUID() }];
  return Array.from({ length: count }, (_, n) => {
    const v = visitors[n % visitors.length]!;
    const item = { item_id: `SKU-${n % 7}`, item_name: `머그 ${n % 7}`, item_category: 'Home', price: 12000, image_url: `https://cdn.shop.example/${n % 7}.jpg` };
    return {
      id: randomUUID(),
      name: n % 3 === 0 ? 'view_item' : 'page_view',
      ts: Date.now() - 1000,
      anon_id: v.anon,
      ...(v.user ? { user_id: v.user } : {}),
      session_id: `sess-${v.anon}`,
      url: `https://shop.example/p/${n}`,
      props: n % 3 === 0 ? { currency: 'KRW', items: [item] } : { title: '홈 | Shop' },
    };
  });
}

async function collect(events: SentEvent[]) {
  for (let i = 0; i < events.length; i += 20) {
    const response = await fetch(`${worker.url}/v1/collect`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ site: 'shop', sent_at: Date.now(), events: events.slice(i, i + 20) }),
    });
    expect(response.status).toBe(202);
  }
}

/** The event ids the local D1 still holds in full (the file `wrangler dev` persists). */
function d1EventIds(): string[] {
  const folder = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = readdirSync(folder).find((f) => f.endsWith('.sqlite') && statSync(join(folder, f)).size > 0)!;
  const db = new DatabaseSync(join(folder, file), { readOnly: true });
  try {
    return (db.prepare("SELECT id FROM events WHERE site = 'shop'").all() as { id: string }[]).map((r) => r.id);
  } finally {
    db.close();
  }
}

async function waitForPipeline() {
  const until = Date.now() + 60_000;
  for (;;) {
    const folder = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
    const file = readdirSync(folder).find((f) => f.endsWith('.sqlite') && statSync(join(folder, f)).size > 0)!;
    const db = new DatabaseSync(join(folder, file), { readOnly: true });
    const pending = (db.prepare('SELECT count(*) AS n FROM ingest_batches WHERE processed_at IS NULL').get() as { n: number }).n;
    db.close();
    if (pending === 0) return;
    if (Date.now() > until) throw new Error('the pipeline did not catch up');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the archive read back with DuckDB', () => {
  it('counts every event once across D1 and the archived days, with every field the collector accepted', async () => {
    const archivedBatch = shopperEvents(240);
    await collect(archivedBatch);
    await waitForPipeline();

    // The cron a day later: the day goes to R2, its full rows leave D1.
    const later = Date.now() + DAY + 3_600_000;
    for (const at of [later, later + 60_000]) {
      const response = await fetch(`${worker.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent('* * * * *')}&time=${at}`);
      expect(response.ok).toBe(true);
    }
    // More events after it (still in D1), and part of the archived ones resent (stored once).
    const recentBatch = shopperEvents(60);
    await collect([...recentBatch, ...archivedBatch.slice(0, 20)]);
    await waitForPipeline();

    // Each archived day, downloaded through the admin route into a Hive-style folder.
    const list = (await (await fetch(`${worker.url}/v1/admin/sites/shop/archive`, { headers: auth })).json()) as { days: { day: string; events: number }[] };
    expect(list.days.length).toBeGreaterThan(0);
    for (const { day } of list.days) {
      const response = await fetch(`${worker.url}/v1/admin/sites/shop/archive/${day}`, { headers: auth });
      expect(response.status).toBe(200);
      const folder = join(downloads, 'site=shop', `day=${day}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'part-0000.ndjson.gz'), Buffer.from(await response.arrayBuffer()));
    }

    const duck = await DuckDBInstance.create(':memory:');
    const connection = await duck.connect();
    try {
      const files = join(downloads, '*', '*', '*.ndjson.gz').replaceAll("'", "''");
      const read = `read_json_auto('${files}', hive_partitioning = true)`;
      const totals = (await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids, min(site) AS site FROM ${read}`)).getRowObjectsJS()[0]!;
      expect(totals).toEqual({ n: archivedBatch.length, ids: archivedBatch.length, site: 'shop' });
      const archivedIds = (await connection.runAndReadAll(`SELECT id FROM ${read}`)).getRowObjectsJS().map((r) => String(r.id));

      // D1 ∪ R2 = everything sent, each once (no id in both, none missing).
      const inD1 = d1EventIds();
      expect(inD1.filter((id) => archivedIds.includes(id))).toEqual([]);
      expect([...archivedIds, ...inD1].sort()).toEqual([...archivedBatch, ...recentBatch].map((e) => e.id).sort());

      // Every field the collector accepted, items as nested data an analyst can query.
      const item = (
        await connection.runAndReadAll(`SELECT anon_id, user_id, session_id, url, received_at > 0 AS received, props.items[1].item_name AS item_name FROM ${read} WHERE id = '${archivedBatch[0]!.id}'`)
      ).getRowObjectsJS()[0]!;
      expect(item).toEqual({ anon_id: archivedBatch[0]!.anon_id, user_id: 'member-duck-1', session_id: archivedBatch[0]!.session_id, url: archivedBatch[0]!.url, received: true, item_name: '머그 0' });
    } finally {
      connection.closeSync();
      duck.closeSync();
    }
  }, 180_000);
});
