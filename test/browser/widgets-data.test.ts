// From a widget to the shop's hands, with the real worker: what the signup and review widgets
// emit passes the collector's contract (sent as the SDK sends it), lands in leads.csv and
// reviews.csv, and a stored review reaches the shop's webhook with a signature it can verify.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { catalog, propsFor } from './widget-fixtures';
import { ensureTestSite, mount, SITE, useHarness, waitForEvents, type TrackedWidgetEvent } from './widget-harness';

const { withPage } = useHarness(() => ensureTestSite(catalog()));
let hooks: Server;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let hookUrl = '';

/** The shop's webhook receiver. */
beforeAll(async () => {
  hooks = createServer((request, response) => {
    let body = '';
    request.on('data', (c) => (body += c));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks/reviews`;
});
afterAll(() => new Promise<void>((resolve) => hooks?.close(() => resolve())));

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${inject('workerUrl')}/v1/admin/sites/${SITE}${path}`, { ...init, headers: { Authorization: `Bearer ${inject('adminToken')}`, 'Content-Type': 'application/json' } });

/** Sends the widget's events to /v1/collect the way the SDK does: its ids and session, plus the
 * decision's id, widget and variant in props. */
async function sendAsSdk(tracked: TrackedWidgetEvent[], anonId: string) {
  const now = Date.now();
  const events = tracked.map((e) => ({
    id: `evt-${randomUUID()}`,
    name: e.name,
    ts: now - 100,
    anon_id: anonId,
    session_id: 'sess-harness-0001',
    url: 'http://localhost/harness',
    props: { ...e.props, decision_id: e.decision_id, widget: e.widget, variant: 'a' },
  }));
  const response = await fetch(`${inject('workerUrl')}/v1/collect`, { method: 'POST', body: JSON.stringify({ site: SITE, sent_at: now, events }) });
  const body = (await response.json()) as { accepted: number; rejected: unknown[] };
  expect(body.rejected).toEqual([]);
  expect(body.accepted).toBe(events.length);
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function csv(file: string): Promise<string> {
  const response = await admin(`/${file}`);
  expect(response.status).toBe(200);
  return response.text();
}


describe('widget data end to end', () => {
  it('a lead captured by the signup modal is in leads.csv with its consent and decision', () =>
    withPage(async (page) => {
      const email = `lead-${randomUUID().slice(0, 8)}@example.com`;
      await mount(page, 'signup_benefit', propsFor('signup_benefit', 'ko'));
      await page.locator('[data-touchpoint-widget] #tp-email').fill(email);
      await page.locator('[data-touchpoint-widget] input[type="checkbox"]').check();
      await page.locator('[data-touchpoint-widget] .tp-submit').click();
      await waitForEvents(page, 'widget_submit');
      const anonId = `anon-${randomUUID()}`;
      await sendAsSdk(await page.evaluate(() => (window as unknown as { __events: TrackedWidgetEvent[] }).__events), anonId);
      const line = await waitFor(async () => (await csv('leads.csv')).split('\r\n').find((l) => l.includes(email)));
      expect(line).toMatch(new RegExp(`^[^,]+,[^,]+,${email},yes,[^,]+,a:${anonId},,dec-signup-benefit-0001,signup_benefit,signup_benefit,http://localhost/harness$`));
    }));

  it('a review from the review prompt is in reviews.csv and is POSTed, signed, to the shop\'s webhook', () =>
    withPage(async (page) => {
      const settings = (await (await admin('/webhooks', { method: 'PUT', body: JSON.stringify({ reviews_url: hookUrl }) })).json()) as { secret: string };
      await mount(page, 'review_prompt', propsFor('review_prompt', 'ko'));
      const w = page.locator('[data-touchpoint-widget="review_prompt"]');
      await w.locator('fieldset').first().locator('.tp-star').nth(3).click();
      await w.locator('textarea').fill('선물용으로 샀는데 포장이 꼼꼼해요, "강추"');
      await w.locator('button[type="submit"]').click();
      await waitForEvents(page, 'widget_submit');
      const anonId = `anon-${randomUUID()}`;
      const before = received.length;
      await sendAsSdk(await page.evaluate(() => (window as unknown as { __events: TrackedWidgetEvent[] }).__events), anonId);

      const line = await waitFor(async () => (await csv('reviews.csv')).split('\r\n').find((l) => l.includes(`a:${anonId}`)));
      expect(line).toContain(',mug,분청 머그컵 350ml,4,"선물용으로 샀는데 포장이 꼼꼼해요, ""강추""",no,T-1001,');

      const hook = await waitFor(async () => received.slice(before).find((r) => r.body.includes(anonId)));
      // Verified as the shop would, with the Standard Webhooks reference library (it also refuses a stale timestamp).
      expect(() => new Webhook(settings.secret).verify(hook.body, hook.headers as Record<string, string>)).not.toThrow();
      expect(() => new Webhook(settings.secret).verify(hook.body.replace('"rating":4', '"rating":5'), hook.headers as Record<string, string>)).toThrow();
      const payload = JSON.parse(hook.body);
      expect(payload).toMatchObject({
        type: 'review',
        site: SITE,
        review: { item_id: 'mug', item_name: '분청 머그컵 350ml', rating: 4, transaction_id: 'T-1001', visitor_id: `a:${anonId}`, decision_id: 'dec-review-prompt-0001', verified_purchase: false },
      });
      expect(hook.headers['webhook-id']).toBe(payload.id);
      // Marked delivered once the shop answered 2xx.
      await waitFor(async () => (await csv('reviews.csv')).split('\r\n').find((l) => l.includes(`a:${anonId}`) && l.endsWith(',sent')));
    }));
});
