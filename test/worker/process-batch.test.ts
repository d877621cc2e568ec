import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyBatches, processBatches, registerBatchProcessor, sweepPendingBatches } from '../../edge/ingest/process-batch';
import { batchOf, createSite, makeEvent, postCollect } from './helpers';

// A processor that counts every event it applies, so double application would show.
beforeAll(async () => {
  await env.DB.exec('CREATE TABLE IF NOT EXISTS test_applied (site TEXT PRIMARY KEY, n INTEGER NOT NULL)');
  registerBatchProcessor(async (db, batch) => [
    db
      .prepare(
        `INSERT INTO test_applied (site, n) SELECT ?1, COUNT(*) FROM events WHERE batch_id = ?2 AND ${batch.claimed}
         ON CONFLICT (site) DO UPDATE SET n = n + excluded.n`,
      )
      .bind(batch.site, batch.id, ...batch.claimParams),
  ]);
});

const applied_ = async (site: string) =>
  (await env.DB.prepare('SELECT n FROM test_applied WHERE site = ?').bind(site).first<{ n: number }>())?.n ?? 0;

const pending = async (site: string) =>
  (await env.DB.prepare('SELECT COUNT(*) AS n FROM ingest_batches WHERE site = ? AND processed_at IS NULL').bind(site).first<{ n: number }>())!.n;

describe('batch processing', () => {
  it('applies a collected batch once, after the answer', async () => {
    const site = await createSite();
    await postCollect(batchOf(site.id, [makeEvent(), makeEvent(), makeEvent()]));
    expect(await applied_(site.id)).toBe(3);
    expect(await pending(site.id)).toBe(0);
  });

  it('applies nothing for a batch that held only duplicates', async () => {
    const site = await createSite();
    const batch = batchOf(site.id, [makeEvent(), makeEvent()]);
    await postCollect(batch);
    await postCollect(batch);
    expect(await applied_(site.id)).toBe(2);
    const { n } = (await env.DB.prepare('SELECT COUNT(*) AS n FROM ingest_batches WHERE site = ?').bind(site.id).first<{ n: number }>())!;
    expect(n).toBe(1);
  });

  it('lets only one of two racing processors apply a batch', async () => {
    const site = await createSite();
    const batchId = crypto.randomUUID();
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO events (site, id, name, ts, client_ts, received_at, anon_id, session_id, url, props, batch_id)
         VALUES (?1, 'race-event-1', 'page_view', 1, 1, 1, 'anon-race1', 'sess-race1', 'https://shop.example/', '{}', ?2)`,
      ).bind(site.id, batchId),
      env.DB.prepare('INSERT INTO ingest_batches (id, site, received_at) VALUES (?, ?, ?)').bind(batchId, site.id, Date.now()),
    ]);
    const claims = await Promise.all([processBatches(env.DB, [{ id: batchId, site: site.id }]), processBatches(env.DB, [{ id: batchId, site: site.id }])]);
    expect(claims.sort()).toEqual([0, 1]);
    expect(await applied_(site.id)).toBe(1);
  });

  it('sweeps batches whose processing never ran, and only old ones', async () => {
    const site = await createSite();
    const now = Date.now();
    const insert = (id: string, eventId: string, receivedAt: number) =>
      env.DB.batch([
        env.DB.prepare(
          `INSERT INTO events (site, id, name, ts, client_ts, received_at, anon_id, session_id, url, props, batch_id)
           VALUES (?1, ?2, 'page_view', 1, 1, ?3, 'anon-sweep1', 'sess-sweep1', 'https://shop.example/', '{}', ?4)`,
        ).bind(site.id, eventId, receivedAt, id),
        env.DB.prepare('INSERT INTO ingest_batches (id, site, received_at) VALUES (?, ?, ?)').bind(id, site.id, receivedAt),
      ]);
    await insert(`old-${site.id}`, 'sweep-event-old', now - 120_000);
    await insert(`new-${site.id}`, 'sweep-event-new', now);
    await sweepPendingBatches(env.DB, now);
    expect(await applied_(site.id)).toBe(1);
    expect(await pending(site.id)).toBe(1);
    await sweepPendingBatches(env.DB, now + 60_000);
    await sweepPendingBatches(env.DB, now + 60_000);
    expect(await applied_(site.id)).toBe(2);
    expect(await pending(site.id)).toBe(0);
  });

  it('folds several batches of a site into one and applies each event once, even when two folds race', async () => {
    const site = await createSite();
    const ids = [0, 1, 2].map((n) => `fold-${site.id}-${n}`);
    await env.DB.batch(
      ids.flatMap((id, n) => [
        env.DB.prepare(
          `INSERT INTO events (site, id, name, ts, client_ts, received_at, anon_id, session_id, url, props, batch_id)
           VALUES (?1, ?2, 'page_view', 1, 1, 1, 'anon-fold1', 'sess-fold1', 'https://shop.example/', '{}', ?3)`,
        ).bind(site.id, `fold-event-${n}`, id),
        env.DB.prepare('INSERT INTO ingest_batches (id, site, received_at) VALUES (?, ?, ?)').bind(id, site.id, Date.now()),
      ]),
    );
    const refs = ids.map((id) => ({ id, site: site.id }));
    const applied = await Promise.all([applyBatches(env.DB, refs), applyBatches(env.DB, refs)]);
    expect(applied.sort()).toEqual([0, 1]);
    expect(await applied_(site.id)).toBe(3);
    expect(await pending(site.id)).toBe(0);
    const folded = await env.DB.prepare('SELECT COUNT(*) AS n FROM ingest_batches WHERE site = ? AND merged_into IS NOT NULL').bind(site.id).first<{ n: number }>();
    expect(folded!.n).toBe(3);
  });
});
