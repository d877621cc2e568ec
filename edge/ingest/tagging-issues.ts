import type { Repair } from './repair-event';

/** Counts the repairs of accepted events per site, event, field and fix (tagging_issues), so a shop
 * sees what its tags send wrong without losing the events. Counted per event received: a resent
 * event counts again, which only makes a real problem look more frequent. */
export async function recordRepairs(db: D1Database, site: string, repairs: readonly Repair[], now: number): Promise<void> {
  if (repairs.length === 0) return;
  await db
    .prepare(
      `INSERT INTO tagging_issues (site, event_name, field, fix, message, count, first_seen, last_seen)
       SELECT ?1, r.value ->> '$.event', r.value ->> '$.field', r.value ->> '$.fix', max(r.value ->> '$.message'), count(*), ?2, ?2
       FROM json_each(?3) r GROUP BY 2, 3, 4
       ON CONFLICT (site, event_name, field, fix) DO UPDATE SET
         count = tagging_issues.count + excluded.count, message = excluded.message, last_seen = excluded.last_seen`,
    )
    .bind(site, now, JSON.stringify(repairs))
    .run();
}

export interface TaggingIssue {
  event_name: string;
  field: string;
  fix: Repair['fix'];
  message: string;
  count: number;
  first_seen: number;
  last_seen: number;
}

export async function listTaggingIssues(db: D1Database, site: string): Promise<TaggingIssue[]> {
  const { results } = await db
    .prepare('SELECT event_name, field, fix, message, count, first_seen, last_seen FROM tagging_issues WHERE site = ?1 ORDER BY last_seen DESC, count DESC LIMIT 200')
    .bind(site)
    .all<TaggingIssue>();
  return results;
}
