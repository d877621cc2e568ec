import type { Bindings } from '../env';
import { getSite, listSiteIds } from '../sites/site-registry';
import { DEFAULT_HOT_WINDOW_DAYS } from '../contract';
import { archiveNextPart } from './archive-log';
import { eraseFromArchive } from './erase';
import { withSiteLease } from './lease';
import { pruneArchivedRows, pruneEventIds } from './prune';
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
}

/** The cron's archive step for one site, under its lease: erasures first (so no archived object
 * keeps a shopper longer than needed), then the next parts of finished days, then pruning. Each step is bounded, so a run never holds the D1 writer
 * long; what is left waits for the next minute. An archived and applied day leaves D1 at once;
 * its event ids stay for the hot window (dedupe). A failure leaves the day in D1 for a later run. */
export async function archiveSite(env: Env, site: string, hotWindowDays: number, now: number): Promise<ArchiveRun> {
  const run: ArchiveRun = { parts: 0, events_archived: 0, rows_pruned: 0, ids_pruned: 0, parts_rewritten: 0 };
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
  });
  return run;
}

/** Every registered site, one after another; a site that fails is logged and left for the next run. */
export async function archiveAllSites(env: Env, now: number): Promise<ArchiveRun> {
  const total: ArchiveRun = { parts: 0, events_archived: 0, rows_pruned: 0, ids_pruned: 0, parts_rewritten: 0 };
  for (const id of await listSiteIds(env.KV)) {
    try {
      const settings = await getSite(env.KV, id);
      const run = await archiveSite(env, id, settings?.hot_window_days ?? DEFAULT_HOT_WINDOW_DAYS, now);
      for (const k of Object.keys(total) as (keyof ArchiveRun)[]) total[k] += run[k];
    } catch (err) {
      console.error(`archive of site ${id} left for the next run`, err);
    }
  }
  return total;
}
