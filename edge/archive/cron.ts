import type { Bindings } from '../env';
import { getSite, listSiteIds } from '../sites/site-registry';
import { DEFAULT_HOT_WINDOW_DAYS } from '../contract';
import { archiveNextPart } from './archive-log';
import { eraseFromArchive } from './erase';
import { withSiteLease } from './lease';
import { pruneArchivedRows, pruneEventIds } from './prune';
import { pruneDecisions, pruneExcludedEvents, pruneSentDeliveries, pruneSessions, pruneTrendingDays } from './prune-state';
import { DEFAULT_TIMEZONE } from '../lib/site-time';
import { DAY_MS } from '../lib/time';
import { siteDbById } from '../sites/site-database';

type Env = Pick<Bindings, 'DB' | 'KV' | 'ARCHIVE'>;

/** Parts one site archives per cron run: each is at most PART_EVENTS events. */
const PARTS_PER_RUN = 2;

export interface ArchiveRun {
  parts: number;
  events_archived: number;
  rows_pruned: number;
  ids_pruned: number;
  parts_rewritten: number;
  decisions_pruned: number;
  excluded_pruned: number;
  sessions_pruned: number;
  browsers_forgotten: number;
  deliveries_pruned: number;
  trending_days_pruned: number;
}

const emptyRun = (): ArchiveRun => ({
  parts: 0, events_archived: 0, rows_pruned: 0, ids_pruned: 0, parts_rewritten: 0,
  decisions_pruned: 0, excluded_pruned: 0, sessions_pruned: 0, browsers_forgotten: 0, deliveries_pruned: 0, trending_days_pruned: 0,
});

/** The cron's archive step for one site, under its lease: erasures first (so no archived object
 * keeps a shopper longer than needed), then the next parts of finished days, then pruning. Each step is bounded, so a run never holds the D1 writer
 * long; what is left waits for the next minute. An archived and applied day leaves D1 at once;
 * its event ids, decision records, excluded events, sessions and sent webhook deliveries stay for the hot window
 * (edge/archive/prune-state.ts). A failure leaves the day in D1 for a later run. */
export async function archiveSite(env: Env, site: string, hotWindowDays: number, now: number, timeZone: string = DEFAULT_TIMEZONE): Promise<ArchiveRun> {
  const run = emptyRun();
  const windowStart = now - hotWindowDays * DAY_MS;
  const db = await siteDbById(env, site);
  await withSiteLease(db, site, now, async () => {
    run.parts_rewritten += await eraseFromArchive(db, env.ARCHIVE, site, now);
    for (let i = 0; i < PARTS_PER_RUN; i++) {
      const part = await archiveNextPart(db, env.ARCHIVE, site, now);
      if (!part) break;
      run.parts++;
      run.events_archived += part.events;
    }
    run.rows_pruned += await pruneArchivedRows(db, site, now);
    run.ids_pruned += await pruneEventIds(db, site, hotWindowDays, now);
    run.decisions_pruned += await pruneDecisions(db, site, windowStart);
    run.excluded_pruned += await pruneExcludedEvents(db, site, windowStart, timeZone);
    const sessions = await pruneSessions(db, site, windowStart);
    run.sessions_pruned += sessions.sessions;
    run.browsers_forgotten += sessions.browsers_forgotten;
    run.deliveries_pruned += await pruneSentDeliveries(db, site, windowStart);
    run.trending_days_pruned += await pruneTrendingDays(db, site, now);
  });
  return run;
}

/** Every registered site, one after another; a site that fails is logged and left for the next run. */
export async function archiveAllSites(env: Env, now: number): Promise<ArchiveRun> {
  const total = emptyRun();
  for (const id of await listSiteIds(env.KV)) {
    try {
      const settings = await getSite(env.KV, id);
      const run = await archiveSite(env, id, settings?.hot_window_days ?? DEFAULT_HOT_WINDOW_DAYS, now, settings?.timezone ?? DEFAULT_TIMEZONE);
      for (const k of Object.keys(total) as (keyof ArchiveRun)[]) total[k] += run[k];
    } catch (err) {
      console.error(`archive of site ${id} left for the next run`, err);
    }
  }
  return total;
}
