import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { AcceptedEvent } from '../../edge/contract';
import { BATCH_EVENTS, type PipelineStep } from '../../edge/pipeline/batch';
import { guardedStatement } from '../../edge/pipeline/guarded-statement';
import { applyBatches, applyStoredBatches, runPipeline, sweepPendingBatches } from '../../edge/pipeline/run';
import { POST_INGEST_STEPS } from '../../edge/pipeline/steps';
import { batchOf, createSite, makeEvent, postCollect } from './helpers';

// The profile step counts page views: a batch applied twice would show as doubled page_views.
const pageViews = async (site: string) =>
  (await env.DB.prepare('SELECT total(page_views) AS n FROM profiles WHERE site = ?').bind(site).first<{ n: number }>())!.n;

const pending = async (site: string) =>
  (await env.DB.prepare('SELECT COUNT(*) AS n FROM ingest_batches WHERE site = ? AND processed_at IS NULL').bind(site).first<{ n: number }>())!.n;

const accepted = (id: string, anon = 'anon-pipe1'): AcceptedEvent => ({
  id,
  name: 'page_view',
  ts: 1_700_000_000_000,
  client_ts: 1_700_000_000_000,
  anon_id: anon,
  user_id: null,
  session_id: `sess-${anon}`,
  seq: null,
  url: 'https://shop.example/',
  props: '{}',
});

/** Stores events and their batch row as the writer would, without running the pipeline. */
const RECEIVED = 1_700_000_000_500;

async function storeUnapplied(site: string, batchId: string, events: AcceptedEvent[], receivedAt = RECEIVED) {
  await env.DB.batch([
    ...events.map((e) =>
      env.DB.prepare(
        `INSERT INTO events (site, id, name, ts, client_ts, received_at, anon_id, session_id, url, props, batch_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)`,
      ).bind(site, e.id, e.name, e.ts, e.client_ts, receivedAt, e.anon_id, e.session_id, e.url, e.props, batchId),
    ),
    env.DB.prepare('INSERT INTO ingest_batches (id, site, received_at) VALUES (?, ?, ?)').bind(batchId, site, receivedAt),
  ]);
}

describe('the post-ingest pipeline', () => {
  it('applies a collected batch once, after the answer', async () => {
    const site = await createSite();
    await postCollect(batchOf(site.id, [makeEvent(), makeEvent(), makeEvent()]));
    expect(await pageViews(site.id)).toBe(3);
    expect(await pending(site.id)).toBe(0);
  });

  it('applies nothing for a batch that held only duplicates', async () => {
    const site = await createSite();
    const batch = batchOf(site.id, [makeEvent(), makeEvent()]);
    await postCollect(batch);
    await postCollect(batch);
    expect(await pageViews(site.id)).toBe(2);
    // Applied bookkeeping is deleted with the run; the resend registered no batch at all.
    const { n } = (await env.DB.prepare('SELECT COUNT(*) AS n FROM ingest_batches WHERE site = ?').bind(site.id).first<{ n: number }>())!;
    expect(n).toBe(0);
    expect((await env.DB.prepare('SELECT COUNT(DISTINCT batch_id) AS n FROM events WHERE site = ?').bind(site.id).first<{ n: number }>())!.n).toBe(1);
  });

  it('hands a request with a new and a resent event only the new one', async () => {
    const site = await createSite();
    const first = makeEvent();
    await postCollect(batchOf(site.id, [first]));
    await postCollect(batchOf(site.id, [first, makeEvent()]));
    expect(await pageViews(site.id)).toBe(2);
  });

  it('lets only one of two racing runs apply a batch', async () => {
    const site = await createSite();
    const batchId = `race-${site.id}`;
    await storeUnapplied(site.id, batchId, [accepted(`race-${site.id}-1`)]);
    const ref = [{ id: batchId, site: site.id, received_at: RECEIVED }];
    const claims = await Promise.all([applyStoredBatches(env.DB, ref), applyStoredBatches(env.DB, ref)]);
    expect(claims.sort()).toEqual([0, 1]);
    expect(await pageViews(site.id)).toBe(1);
  });

  it('sweeps batches whose run never happened, and only old ones, reading their events back', async () => {
    const site = await createSite();
    const now = Date.now();
    await storeUnapplied(site.id, `old-${site.id}`, [accepted(`sweep-old-${site.id}`)], now - 120_000);
    await storeUnapplied(site.id, `new-${site.id}`, [accepted(`sweep-new-${site.id}`)], now);
    await sweepPendingBatches(env.DB, now);
    expect(await pageViews(site.id)).toBe(1);
    expect(await pending(site.id)).toBe(1);
    await sweepPendingBatches(env.DB, now + 60_000);
    await sweepPendingBatches(env.DB, now + 60_000);
    expect(await pageViews(site.id)).toBe(2);
    expect(await pending(site.id)).toBe(0);
  });

  it('applies several batches of a site together, each event once, even when two runs race', async () => {
    const site = await createSite();
    const batches = [0, 1, 2].map((n) => ({ id: `group-${site.id}-${n}`, site: site.id, events: [accepted(`group-${site.id}-${n}`)] }));
    for (const b of batches) await storeUnapplied(site.id, b.id, [...b.events]);
    const applied = await Promise.all([applyBatches(env.DB, batches), applyBatches(env.DB, batches)]);
    expect(applied.sort()).toEqual([0, 3]);
    expect(await pageViews(site.id)).toBe(3);
    expect(await pending(site.id)).toBe(0);
  });

  it('claims a group all or nothing: one batch taken elsewhere leaves the others to be applied one by one', async () => {
    const site = await createSite();
    const batches = [0, 1, 2].map((n) => ({ id: `part-${site.id}-${n}`, site: site.id, events: [accepted(`part-${site.id}-${n}`)] }));
    for (const b of batches) await storeUnapplied(site.id, b.id, [...b.events]);
    expect(await runPipeline(env.DB, [batches[1]!])).toBe(1);
    expect(await runPipeline(env.DB, batches)).toBe(0);
    expect(await pageViews(site.id)).toBe(1);
    expect(await applyBatches(env.DB, batches)).toBe(2);
    expect(await pageViews(site.id)).toBe(3);
  });

  it('works from the events in memory and runs an appended step after the others', async () => {
    const site = await createSite();
    await env.DB.exec('CREATE TABLE IF NOT EXISTS test_step_seen (site TEXT, event_id TEXT, profiles INTEGER)');
    // Sees the profile the earlier steps wrote in the same transaction.
    const seen: PipelineStep = {
      name: 'test-seen',
      statements: async (db, batch) => [
        guardedStatement(
          db,
          batch,
          `INSERT INTO test_step_seen SELECT :site, e.id, (SELECT count(*) FROM profiles p WHERE p.site = :site) FROM ${BATCH_EVENTS} e WHERE {claimed}`,
        ),
      ],
    };
    const batchId = `mem-${site.id}`;
    // Only the batch row is stored: the events exist only in memory, so nothing can be read back.
    await env.DB.prepare('INSERT INTO ingest_batches (id, site, received_at) VALUES (?, ?, ?)').bind(batchId, site.id, Date.now()).run();
    const events = [accepted(`mem-${site.id}-1`, 'anon-mem1'), accepted(`mem-${site.id}-2`, 'anon-mem2')];
    expect(await runPipeline(env.DB, [{ id: batchId, site: site.id, events }], Date.now(), [...POST_INGEST_STEPS, seen])).toBe(1);
    expect(await pageViews(site.id)).toBe(2);
    const { results } = await env.DB.prepare('SELECT event_id, profiles FROM test_step_seen WHERE site = ? ORDER BY event_id').bind(site.id).all();
    expect(results).toEqual(events.map((e) => ({ event_id: e.id, profiles: 2 })));
  });
});
