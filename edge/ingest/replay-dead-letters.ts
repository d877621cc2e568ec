import type { DeadLetterReplayT } from '../contract';
import type { Bindings } from '../env';
import { eventWriterFor } from '../store/d1-event-writer';
import type { KeepAlive } from '../store/event-writer';
import { sendWebhooksOnceApplied } from './after-store';
import { listDeadLetters, readIngestMessage, removeDeadLetter } from './dead-letters';

type Env = Pick<Bindings, 'DB' | 'KV' | 'ALLOW_LOCAL_WEBHOOKS'>;

/** What a replay did (the contract's answer, less the site and what remains). */
export type ReplayOutcome = Omit<DeadLetterReplayT, 'site' | 'remaining'>;

/** Sends a site's parked messages back through the event writer (exactly once by event id, as from
 * the queue); each leaves the table only once its events are durable. */
/** `db` is the site's database: where its messages are parked and its events stored. */
export async function replayDeadLetters(env: Env, db: D1Database, site: string, keepAlive: KeepAlive, now = Date.now(), limit = 100): Promise<ReplayOutcome> {
  const rows = await listDeadLetters(db, site, limit);
  const writer = eventWriterFor(db);
  const outcome: ReplayOutcome = { replayed: 0, events_stored: 0, events_duplicate: 0, still_parked: [] };
  await Promise.all(
    rows.map(async (row) => {
      let body: unknown;
      try {
        body = JSON.parse(row.body);
      } catch {
        body = row.body;
      }
      const read = readIngestMessage(body);
      if ('reason' in read) return outcome.still_parked.push({ id: row.id, reason: read.reason });
      if (read.message.site !== site) return outcome.still_parked.push({ id: row.id, reason: `site_mismatch: the message names site ${read.message.site}` });
      try {
        const { inserted, duplicates } = await writer.append(site, read.message.events, now, keepAlive);
        await removeDeadLetter(db, row.id);
        outcome.replayed++;
        outcome.events_stored += inserted;
        outcome.events_duplicate += duplicates;
        if (inserted > 0) sendWebhooksOnceApplied(env, db, keepAlive, site, read.message.events);
      } catch (err) {
        console.error(`dead letter ${row.id} not replayed`, err);
        outcome.still_parked.push({ id: row.id, reason: 'store_failed: the database did not take it this time; replay again' });
      }
    }),
  );
  outcome.still_parked.sort((a, b) => a.id - b.id);
  return outcome;
}
