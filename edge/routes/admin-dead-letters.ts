import { Hono } from 'hono';
import type { DeadLetterReplayT, DeadLettersT } from '../contract';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/api-error';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { knownSite } from '../sites/known-site';
import { siteDb } from '../sites/site-database';
import { countDeadLetters, listDeadLetters } from '../ingest/dead-letters';
import { replayDeadLetters } from '../ingest/replay-dead-letters';

const PAGE = 100;

function eventsIn(body: string): number | null {
  try {
    const events = (JSON.parse(body) as { events?: unknown }).events;
    return Array.isArray(events) ? events.length : null;
  } catch {
    return null;
  }
}

/** Queue mode's parked ingest messages (edge/ingest/dead-letters.ts): what is parked and why, and
 * a replay that sends them back through the event writer. */
export const adminDeadLetters = new Hono<AppEnv>()
  .get('/v1/admin/sites/:site/dead-letters', requireSiteAdmin, async (c) => {
    const site = await knownSite(c);
    const after = Number(c.req.query('after') ?? 0);
    if (!Number.isSafeInteger(after) || after < 0) throw new ApiError(400, 'invalid_cursor', 'after must be the id of the last dead letter of the previous page.');
    const db = siteDb(c.env, site);
    const rows = await listDeadLetters(db, site.id, PAGE, after);
    return c.json({
      site: site.id,
      ingest_mode: c.env.INGEST_QUEUE ? 'queue' : 'direct',
      count: await countDeadLetters(db, site.id),
      dead_letters: rows.map((r) => ({
        id: r.id,
        message_id: r.message_id,
        reason: r.reason,
        events: eventsIn(r.body),
        body_bytes: r.body.length,
        attempts: r.attempts,
        received_at: r.received_at,
        parked_at: r.parked_at,
      })),
      next_after: rows.length === PAGE ? rows[rows.length - 1]!.id : null,
    } satisfies DeadLettersT);
  })
  .post('/v1/admin/sites/:site/dead-letters/replay', requireSiteAdmin, async (c) => {
    const site = await knownSite(c);
    const db = siteDb(c.env, site);
    const outcome = await replayDeadLetters(c.env, db, site.id, c.executionCtx);
    return c.json({ site: site.id, ...outcome, remaining: await countDeadLetters(db, site.id) } satisfies DeadLetterReplayT);
  });
