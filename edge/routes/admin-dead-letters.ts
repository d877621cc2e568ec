import { Hono } from 'hono';
import type { DeadLetterDiscardT, DeadLetterReplayT, DeadLettersT } from '../contract';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/api-error';
import { requireOperator, requireSiteAdmin } from '../middleware/admin-auth';
import { knownSite } from '../sites/known-site';
import { siteDb } from '../sites/site-database';
import { countDeadLetters, discardDeadLetter, listDeadLetters } from '../ingest/dead-letters';
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

const readAfter = (value: string | undefined) => {
  const after = Number(value ?? 0);
  if (!Number.isSafeInteger(after) || after < 0) throw new ApiError(400, 'invalid_cursor', 'after must be the id of the last dead letter of the previous page.');
  return after;
};
const readId = (value: string | undefined) => {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id < 1) throw new ApiError(400, 'invalid_id', 'The id must be a dead letter\'s id from the list.');
  return id;
};

/** A page of parked messages: a site's, or (site null) those of no registered site. */
async function page(env: AppEnv['Bindings'], db: D1Database, site: string | null, after: number): Promise<Omit<DeadLettersT, 'site'>> {
  const rows = await listDeadLetters(db, site, PAGE, after);
  return {
    ingest_mode: env.INGEST_QUEUE ? 'queue' : 'direct',
    count: await countDeadLetters(db, site),
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
  };
}

async function discard(db: D1Database, site: string | null, id: number): Promise<DeadLetterDiscardT> {
  if (!(await discardDeadLetter(db, site, id))) throw new ApiError(404, 'not_found', `No parked message ${id} here (already replayed or discarded?).`);
  return { site, discarded: id, remaining: await countDeadLetters(db, site) };
}

/** Queue mode's parked ingest messages (edge/ingest/dead-letters.ts): what is parked and why, a
 * replay that sends them back through the event writer, and a discard for a body no replay can
 * read. A message that names no registered site is parked in the shared database with no site:
 * the operator lists and discards those. */
export const adminDeadLetters = new Hono<AppEnv>()
  .get('/v1/admin/sites/:site/dead-letters', requireSiteAdmin, async (c) => {
    const site = await knownSite(c);
    const after = readAfter(c.req.query('after'));
    return c.json({ site: site.id, ...(await page(c.env, siteDb(c.env, site), site.id, after)) } satisfies DeadLettersT);
  })
  .post('/v1/admin/sites/:site/dead-letters/replay', requireSiteAdmin, async (c) => {
    const site = await knownSite(c);
    const db = siteDb(c.env, site);
    const outcome = await replayDeadLetters(c.env, db, site.id, c.executionCtx);
    return c.json({ site: site.id, ...outcome, remaining: await countDeadLetters(db, site.id) } satisfies DeadLetterReplayT);
  })
  .delete('/v1/admin/sites/:site/dead-letters/:id', requireSiteAdmin, async (c) => {
    const site = await knownSite(c);
    return c.json(await discard(siteDb(c.env, site), site.id, readId(c.req.param('id'))));
  })
  .get('/v1/admin/dead-letters', requireOperator, async (c) => {
    const after = readAfter(c.req.query('after'));
    return c.json({ site: null, ...(await page(c.env, c.env.DB, null, after)) } satisfies DeadLettersT);
  })
  .delete('/v1/admin/dead-letters/:id', requireOperator, async (c) => c.json(await discard(c.env.DB, null, readId(c.req.param('id')))));
