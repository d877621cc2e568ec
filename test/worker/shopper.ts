import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
import worker from '../../edge/index';
import { migrateLegacyConfig } from '../../edge/contract/legacy-config';
import { DEFAULT_TIMEZONE, utcOffsetMs } from '../../edge/lib/site-time';
import { BASE, createSite, OPERATOR_TOKEN } from './helpers';

/** Helpers for profile, config and decision tests: a shopper who browses through the real
 * worker (collect -> D1 -> profile processing) and asks /v1/decide, on a clock the test moves. */

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** Sends through the worker with the clock at `now` (X-Touchpoint-Now, allowed only here). */
export async function sendAt(now: number, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('X-Touchpoint-Now', String(Math.round(now)));
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${BASE}${path}`, { ...init, headers }) as never, { ...env, CLOCK_OVERRIDE: 'allow' }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** The latest moment, not after `now`, at `hour`:00 in the sites' default time zone (Seoul). Hand-offs
 * that advertise are held through the shop's quiet hours (21:00–08:00), so a test whose clock starts
 * at Date.now() would pass or fail by the hour it runs at; tests start at a chosen hour instead. */
export function atShopHour(hour: number, now = Date.now()): number {
  const offset = utcOffsetMs(now, DEFAULT_TIMEZONE);
  const at = Math.floor((now + offset) / DAY) * DAY - offset + hour * HOUR;
  return at <= now ? at : at - DAY;
}

const uid = () => crypto.randomUUID().replace(/-/g, '').slice(0, 16);

export type DecideBody = {
  overlay: Decision | null;
  inline: Decision[];
};
export type Decision = { decision_id: string; campaign: string; template: string; widget: string; variant: string; trigger: Record<string, unknown>; slot?: string; props: Record<string, any> };

/** A config where every widget is off and nothing is held out, so a test turns on only what it checks. */
export function quietConfig(widgets: Record<string, unknown> = {}, rest: Record<string, unknown> = {}) {
  const names = ['signup_benefit', 'cart_reminder', 'recommendations', 'review_prompt', 'marketing_consent', 'interested_product', 'welcome_back'];
  const all: Record<string, unknown> = {};
  for (const name of names) all[name] = { enabled: false, holdout_percent: 0 };
  for (const [name, value] of Object.entries(widgets)) all[name] = { holdout_percent: 0, ...(value as object) };
  return { overlays: { min_gap_minutes: 0 }, ...rest, widgets: all };
}

/** A config holding exactly these campaigns, nothing held out unless they say so. */
export function campaignsConfig(campaigns: Record<string, unknown>[], rest: Record<string, unknown> = {}) {
  return { overlays: { min_gap_minutes: 0 }, ...rest, campaigns: campaigns.map((c) => ({ holdout_percent: 0, ...c })) };
}

/** Events from the shop's server (POST /v1/admin/sites/:site/events) at `now`; answers the collector's body. */
export async function serverEvents(site: string, now: number, events: Record<string, unknown>[]): Promise<{ status: number; body: { accepted: number; duplicates: number; rejected: { index: number; reason: string }[] } }> {
  const response = await sendAt(now, `/v1/admin/sites/${site}/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ events: events.map((e) => ({ id: `srv-${crypto.randomUUID()}`, ts: now - 10, ...e })) }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

export async function putConfig(site: string, config: unknown, token = OPERATOR_TOKEN, headers: Record<string, string> = {}): Promise<Response> {
  return sendAt(Date.now(), `/v1/admin/sites/${site}/config`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(config),
  });
}

export async function siteWith(config: unknown, settings: Record<string, unknown> = {}) {
  const site = await createSite(settings);
  const response = await putConfig(site.id, config);
  if (response.status !== 200) throw new Error(`putConfig: ${response.status} ${await response.text()}`);
  return site;
}

export class Shopper {
  anon = `anon-${uid()}`;
  session = `sess-${uid()}`;
  user: string | undefined;
  /** The shop server's proof of `user`, sent with events and decide requests when set. */
  userHash: string | undefined;
  consent = { analytics: true, marketing: true };
  device: 'mobile' | 'tablet' | 'desktop' = 'desktop';
  sessionPageViews = 0;

  constructor(
    readonly site: string,
    /** The test's clock; move it with `advance`. */
    public now = Date.now(),
  ) {}

  advance(ms: number): this {
    this.now += ms;
    return this;
  }

  newSession(): this {
    this.session = `sess-${uid()}`;
    this.sessionPageViews = 0;
    return this;
  }

  /** Another device of the same person: a fresh anonymous id and session. */
  onAnotherDevice(): Shopper {
    const other = new Shopper(this.site, this.now);
    other.consent = { ...this.consent };
    return other;
  }

  event(name: string, props: Record<string, unknown> = {}, url = 'https://shop.example/') {
    return {
      id: `evt-${crypto.randomUUID()}`,
      name,
      ts: this.now - 10,
      anon_id: this.anon,
      ...(this.user ? { user_id: this.user } : {}),
      ...(this.userHash ? { user_hash: this.userHash } : {}),
      session_id: this.session,
      url,
      props,
    };
  }

  /** Sends events through /v1/collect and waits until they are applied to the profile. */
  async send(...events: ReturnType<Shopper['event']>[]): Promise<void> {
    const response = await sendAt(this.now, '/v1/collect', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ site: this.site, sent_at: this.now, events }),
    });
    const body = (await response.json()) as { accepted: number; rejected: unknown[] };
    expect(response.status, JSON.stringify(body)).toBe(202);
    expect(body.rejected, JSON.stringify(body.rejected)).toEqual([]);
  }

  track(name: string, props: Record<string, unknown> = {}, url?: string) {
    return this.send(this.event(name, props, url));
  }

  pageView(url = 'https://shop.example/', props: Record<string, unknown> = {}) {
    this.sessionPageViews++;
    return this.track('page_view', props, url);
  }

  viewItem(item: Record<string, unknown>, url = `https://shop.example/products/${String(item.item_id)}`) {
    this.sessionPageViews++;
    return this.send(this.event('page_view', { page_type: 'product' }, url), this.event('view_item', { currency: 'KRW', items: [item] }, url));
  }

  identify(userId: string) {
    this.user = userId;
    return this.track('login', { method: 'password' });
  }

  /** Reports what a widget did with a decision, as the widget module does. */
  widgetEvent(name: 'widget_impression' | 'widget_click' | 'widget_dismiss' | 'widget_submit', decision: Decision) {
    return this.track(name, { decision_id: decision.decision_id, widget: decision.widget, variant: decision.variant });
  }

  async decideRaw(page: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<Response> {
    return sendAt(this.now, '/v1/decide', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({
        site: this.site,
        anon_id: this.anon,
        ...(this.user ? { user_id: this.user } : {}),
        ...(this.userHash ? { user_hash: this.userHash } : {}),
        session_id: this.session,
        page: { url: 'https://shop.example/', type: 'home', lang: 'en', ...page },
        consent: this.consent,
        device: this.device,
        session_page_views: this.sessionPageViews,
        ...extra,
      }),
    });
  }

  async decide(page: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<DecideBody> {
    const response = await this.decideRaw(page, extra);
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    return body as DecideBody;
  }

  /** The overlay widget decided now, or null. */
  async overlay(page: Record<string, unknown> = {}): Promise<Decision | null> {
    return (await this.decide(page)).overlay;
  }

  /** The profile as the admin API shows it (stage evaluated at the shopper's clock). */
  async profile(): Promise<Record<string, any>> {
    const query = this.user ? `user_id=${encodeURIComponent(this.user)}` : `anon_id=${encodeURIComponent(this.anon)}`;
    const response = await sendAt(this.now, `/v1/admin/sites/${this.site}/profile?${query}`, { headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` } });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    return body as Record<string, any>;
  }
}

export async function rows<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]> {
  const { results } = await env.DB.prepare(sql).bind(...params).all<T>();
  return results;
}

/** A switched-off survey 'onboarding' asking 'interest' (kitchen, living, garden): survey answers
 * are checked against the site's survey campaigns, so tests that send some keep one. */
export const ONBOARDING_SURVEY = {
  id: 'onboarding',
  name: 'Onboarding',
  template: 'survey',
  enabled: false,
  settings: {
    questions: [
      {
        id: 'interest',
        kind: 'choice',
        multiple: true,
        text: { ko: '관심 있는 분야는?', en: 'What are you into?' },
        choices: ['kitchen', 'living', 'garden'].map((id) => ({ id, label: { ko: id, en: id } })),
      },
    ],
  },
};

/** A config (either shape) with these campaigns added after its own. */
export function plusCampaigns(config: Record<string, unknown>, ...campaigns: Record<string, unknown>[]) {
  const migrated = migrateLegacyConfig(config) as { campaigns?: unknown[] };
  return { ...migrated, campaigns: [...(migrated.campaigns ?? []), ...campaigns] };
}
