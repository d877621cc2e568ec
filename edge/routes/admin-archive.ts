import { Hono } from 'hono';
import { ARCHIVE_PREFIX } from '../archive/layout';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/api-error';
import { requireSiteAdmin } from '../middleware/admin-auth';
import { knownSite } from '../sites/known-site';
import { siteDb } from '../sites/site-database';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

interface DayRow {
  day: string;
  parts: number;
  events: number;
  bytes: number;
  complete_at: number | null;
  pruned_at: number | null;
}

/** The site's event archive in R2 (edge/archive): which days it holds, and one day as a file. */
export const adminArchive = new Hono<AppEnv>()
  .get('/v1/admin/sites/:site/archive', requireSiteAdmin, async (c) => {
    const site = await knownSite(c);
    const { results } = await siteDb(c.env, site).prepare(
      `SELECT p.day, count(*) AS parts, sum(p.events) AS events, sum(p.bytes) AS bytes, d.complete_at, d.pruned_at
       FROM archive_parts p LEFT JOIN archive_days d ON d.site = p.site AND d.day = p.day
       WHERE p.site = ?1 GROUP BY p.day ORDER BY p.day`,
    )
      .bind(site.id)
      .all<DayRow>();
    return c.json({
      site: site.id,
      hot_window_days: site.hot_window_days,
      key_layout: `${ARCHIVE_PREFIX}/site=<site>/day=<YYYY-MM-DD>/part-<NNNN>.ndjson.gz`,
      days: results.map((r) => ({
        day: r.day,
        parts: r.parts,
        events: r.events,
        bytes: r.bytes,
        // Complete: every event received that day is archived. In D1: its rows are still there too.
        complete: r.complete_at !== null,
        in_d1: r.pruned_at === null,
        download: `/v1/admin/sites/${site.id}/archive/${r.day}`,
      })),
    });
  })
  /** One day as one gzip NDJSON file: its parts' lines one after another, compressed as one gzip
   * member (concatenated members would trip the Web's DecompressionStream). */
  .get('/v1/admin/sites/:site/archive/:day', requireSiteAdmin, async (c) => {
    const site = await knownSite(c);
    const day = c.req.param('day');
    if (!DAY.test(day)) throw new ApiError(400, 'invalid_day', 'Name the day as YYYY-MM-DD (UTC), as the archive list shows it.');
    const { results: parts } = await siteDb(c.env, site).prepare('SELECT r2_key, bytes FROM archive_parts WHERE site = ?1 AND day = ?2 ORDER BY part')
      .bind(site.id, day)
      .all<{ r2_key: string; bytes: number }>();
    if (parts.length === 0) throw new ApiError(404, 'day_not_archived', `The archive holds no events of ${site.id} received on ${day}.`);
    const bucket = c.env.ARCHIVE;
    // Parts are fetched and inflated one at a time as the client reads, so a day of any size streams.
    let next = 0;
    let current: ReadableStreamDefaultReader<Uint8Array> | null = null;
    const readable: ReadableStream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        for (;;) {
          if (!current) {
            const part = parts[next++];
            if (!part) return controller.close();
            const object = await bucket.get(part.r2_key);
            if (!object) return controller.error(new Error(`archive object ${part.r2_key} is missing`));
            current = (object.body.pipeThrough(new DecompressionStream('gzip')) as ReadableStream<Uint8Array>).getReader();
          }
          const { done, value } = await current.read();
          if (!done) return controller.enqueue(value);
          current = null;
        }
      },
    });
    return new Response(readable.pipeThrough(new CompressionStream('gzip')), {
      headers: {
        'Content-Type': 'application/gzip',
        'Content-Disposition': `attachment; filename="${site.id}-${day}.ndjson.gz"`,
      },
    });
  });
