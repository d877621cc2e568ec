/** Hands members to the shop's messaging as they enter each hand-off's audience. Run by the cron
 * every minute: per hand-off, the moments since its cursor (edge/handoff/moments.ts) are put in a
 * group — the store-wide control group, held out, no consent, capped, or sent — and stored with their deliveries and the
 * advanced cursor in one D1 batch, so a crash or a second run at any point hands nothing off
 * twice and loses nothing. Each run looks at a bounded number of moments per hand-off. */
import type { HandoffT, HandoffWebhookBody, SiteConfigT, SiteSettingsT } from '../contract';
import { readSiteConfig } from '../config/config-store';
import { compileConfig } from '../decide/compile-config';
import { controlAssignment, type ControlRow } from '../decide/control-group';
import { unitHash } from '../decide/hash';
import type { Bindings } from '../env';
import { DAY_MS } from '../lib/time';
import { getWebhookSettings } from '../reviews/webhook-settings';
import { getSite } from '../sites/site-registry';
import { asksFacts, membersMatching } from './audience-filter';
import { enqueueStatements } from './deliveries';
import { momentsIn, type Moment } from './moments';
import { siteDb } from '../sites/site-database';

/** Moments one hand-off takes in one run (more wait for the next minute). */
export const MOMENTS_PER_RUN = 500;

export type HandoffGroup = 'sent' | 'control' | 'holdout' | 'no_consent' | 'capped';

type Env = Pick<Bindings, 'DB' | 'KV'>;

/** A delivery id that is the same for this member and moment whoever computes it. */
const deliveryId = (h: HandoffT, m: Moment) => `ho_${h.id}_${m.visitor_id.slice(2)}_${m.at}`.slice(0, 128);

export const inHandoffHoldout = (h: HandoffT, visitorId: string) => unitHash(`${visitorId}|${h.id}|handoff-holdout`) * 100 < h.holdout_percent;

function body(site: string, h: HandoffT, m: Moment, id: string): HandoffWebhookBody {
  return {
    type: 'handoff',
    id,
    site,
    handoff: { id: h.id, name: h.name, kind: h.trigger.kind, advertising: h.advertising },
    at: new Date(m.at).toISOString(),
    member: { user_id: m.visitor_id.slice(2), marketing_consent: m.marketing_consent === 1 },
    data: JSON.parse(m.data) as Record<string, unknown>,
  };
}

/** Members of the site's store-wide control group among these, as decide placed them (their own
 * row, else the row of a device they logged in on), else by the hash their first decision will use. */
async function controlMembers(db: D1Database, site: SiteSettingsT, visitors: readonly string[], now: number): Promise<Set<string>> {
  if (site.control_group_percent <= 0 || visitors.length === 0) return new Set();
  const { results } = await db
    .prepare(
      `SELECT m.value AS member, c.visitor_id, c.in_control, c.cohort_day, c.assigned_at, c.orders, c.revenue
       FROM json_each(?2) m JOIN control_group c ON c.site = ?1
         AND (c.visitor_id = m.value OR c.visitor_id IN (SELECT 'a:' || anon_id FROM identity_links WHERE site = ?1 AND user_id = substr(m.value, 3)))`,
    )
    .bind(site.id, JSON.stringify([...new Set(visitors)]))
    .all<ControlRow & { member: string }>();
  const rows = new Map<string, ControlRow[]>();
  for (const r of results) rows.set(r.member, [...(rows.get(r.member) ?? []), r]);
  return new Set(visitors.filter((v) => controlAssignment(rows.get(v) ?? [], v, site, now).inControl));
}

/** Hand-offs already sent to each of these members since `since` (earlier hand-offs of the same
 * run are committed by then, so they count too); read by member, not over the whole site. */
async function sentCounts(db: D1Database, site: string, visitors: readonly string[], since: number): Promise<Map<string, number>> {
  if (visitors.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT m.visitor_id, count(*) AS n FROM handoff_members m
       WHERE m.site = ?1 AND m.visitor_id IN (SELECT value FROM json_each(?2)) AND m.moment_at > ?3 AND m.grp = 'sent'
       GROUP BY m.visitor_id`,
    )
    .bind(site, JSON.stringify([...new Set(visitors)]), since)
    .all<{ visitor_id: string; n: number }>();
  return new Map(results.map((r) => [r.visitor_id, r.n]));
}

export interface SweepCounts {
  moments: number;
  sent: number;
}

/** One hand-off's moments up to `now`. */
async function sweepHandoff(env: Env, settings: SiteSettingsT, config: SiteConfigT, h: HandoffT, now: number): Promise<SweepCounts> {
  const site = settings.id;
  const db = siteDb(env, settings);
  const cursor = await db.prepare(`SELECT swept_to FROM handoff_cursors WHERE site = ?1 AND handoff = ?2`).bind(site, h.id).first<{ swept_to: number }>();
  if (!cursor) {
    // A new hand-off starts from now: members who entered before it existed are not written to.
    await db.prepare(`INSERT INTO handoff_cursors (site, handoff, swept_to) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING`).bind(site, h.id, now).run();
    return { moments: 0, sent: 0 };
  }
  const since = cursor.swept_to;
  if (now <= since) return { moments: 0, sent: 0 };
  let moments = await momentsIn(db, site, h.trigger, config.stages, since, now, MOMENTS_PER_RUN + 1);
  let sweptTo = now;
  if (moments.length > MOMENTS_PER_RUN) {
    // Stop before the first moment left over, and take every moment up to there.
    const cut = moments[MOMENTS_PER_RUN]!.at;
    const kept = moments.filter((m) => m.at < cut);
    if (kept.length) {
      moments = kept;
      sweptTo = cut - 1;
    } else {
      moments = await momentsIn(db, site, h.trigger, config.stages, since, cut, 100_000);
      sweptTo = cut;
    }
  }
  // Members the hand-off's fact conditions leave out never enter its audience.
  if (asksFacts(h.audience) && moments.length) {
    const fit = await membersMatching(db, site, settings.timezone, compileConfig(config), config.stages, h.audience, [...new Set(moments.map((m) => m.visitor_id))], now);
    moments = moments.filter((m) => fit.has(m.visitor_id));
  }
  const caps = config.handoff_caps;
  const [control, sent] = await Promise.all([
    controlMembers(db, settings, moments.map((m) => m.visitor_id), now),
    sentCounts(db, site, moments.map((m) => m.visitor_id), now - caps.days * DAY_MS),
  ]);
  const members: D1PreparedStatement[] = [];
  const deliveries = [];
  for (const m of moments) {
    const id = deliveryId(h, m);
    let grp: HandoffGroup;
    if (control.has(m.visitor_id)) grp = 'control';
    else if (inHandoffHoldout(h, m.visitor_id)) grp = 'holdout';
    else if (h.advertising && m.marketing_consent !== 1) grp = 'no_consent';
    else if ((sent.get(m.visitor_id) ?? 0) >= caps.per_shopper) grp = 'capped';
    else grp = 'sent';
    if (grp === 'sent') {
      sent.set(m.visitor_id, (sent.get(m.visitor_id) ?? 0) + 1);
      deliveries.push({ id, topic: h.id, shopper: m.visitor_id, body: JSON.stringify(body(site, h, m, id)), advertising: h.advertising, notBefore: now });
    }
    members.push(
      db.prepare(`INSERT INTO handoff_members (site, handoff, visitor_id, moment_at, grp, delivery_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING`).bind(
        site,
        h.id,
        m.visitor_id,
        m.at,
        grp,
        grp === 'sent' ? id : null,
      ),
    );
  }
  // A delivery is stored only where its member row (stored first, in the same transaction) says
  // 'sent': a second run over the same moments finds the rows there already and queues nothing new.
  const sentRow = `EXISTS (SELECT 1 FROM handoff_members WHERE site = ?1 AND handoff = ?3 AND visitor_id = ?4 AND delivery_id = ?2 AND grp = 'sent')`;
  await db.batch([
    ...members,
    ...enqueueStatements(db, site, deliveries, now, sentRow),
    db.prepare(`UPDATE handoff_cursors SET swept_to = ?3 WHERE site = ?1 AND handoff = ?2 AND swept_to = ?4`).bind(site, h.id, sweptTo, since),
  ]);
  return { moments: moments.length, sent: deliveries.length };
}

/** Every enabled hand-off of a site with a hand-off URL. */
export async function sweepHandoffs(env: Env, site: string, now = Date.now()): Promise<SweepCounts> {
  const [webhooks, settings] = await Promise.all([getWebhookSettings(env.KV, site), getSite(env.KV, site)]);
  const total: SweepCounts = { moments: 0, sent: 0 };
  if (!webhooks?.handoff_url || !settings) return total;
  const { config } = await readSiteConfig(env.KV, site);
  const enabled = config.handoffs.filter((h) => h.enabled);
  if (!enabled.length) return total;
  for (const h of enabled) {
    const counts = await sweepHandoff(env, settings, config, h, now);
    total.moments += counts.moments;
    total.sent += counts.sent;
  }
  return total;
}

/** The cron's pass: every site whose webhook settings name a hand-off URL. */
export async function sweepAllHandoffs(env: Env, now = Date.now()): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await env.KV.list({ prefix: 'webhook:', cursor });
    for (const key of page.keys) await sweepHandoffs(env, key.name.slice('webhook:'.length), now);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}

