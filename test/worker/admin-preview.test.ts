import { TEMPLATES } from '../../edge/contract/campaign';
import { describe, expect, it } from 'vitest';
import type { CampaignT, TemplateGalleryT } from '../../edge/contract';
import { OPERATOR_TOKEN } from './helpers';
import { campaignsConfig, putConfig, rows, sendAt, Shopper, siteWith } from './shopper';

/** The admin's own routes: the template gallery, preview links ("preview on my shop") that
 * /v1/decide honours for the first browser only, and config issues with codes the admin words. */

const auth = { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' };
const MINUTE = 60_000;

async function gallery(site: string): Promise<TemplateGalleryT> {
  const response = await sendAt(Date.now(), `/v1/admin/sites/${site}/templates`, { headers: auth });
  expect(response.status).toBe(200);
  return response.json() as Promise<TemplateGalleryT>;
}

async function previewLink(site: string, campaign: unknown, now: number, variant?: string) {
  return sendAt(now, `/v1/admin/sites/${site}/preview`, { method: 'POST', headers: auth, body: JSON.stringify({ campaign, ...(variant ? { variant } : {}) }) });
}

describe('admin: template gallery', () => {
  it('lists the ready journey and one complete campaign per template, for admins only', async () => {
    const site = await siteWith(campaignsConfig([]));
    const { journey, templates } = await gallery(site.id);
    expect(journey.map((c) => c.id)).toEqual(expect.arrayContaining(['signup_benefit', 'second_purchase', 'points_expiring']));
    // Every template, those of the journey's touch points too.
    expect(templates.map((c) => c.template).sort()).toEqual(Object.keys(TEMPLATES).sort());
    // Complete: every default is filled in, so the admin can edit any field.
    const points = journey.find((c) => c.id === 'points_expiring')!;
    expect(points.audience.points_expiring).toEqual({ within_days: 14, min_amount: 1 });
    expect(points.template).toBe('points');
    expect(points.caps).toMatchObject({ per_session: 1, lifetime: 4 });
    expect((await sendAt(Date.now(), `/v1/admin/sites/${site.id}/templates`)).status).toBe(401);
  });
});

describe('admin: preview on my shop', () => {
  it('shows the campaign, as edited and unsaved, to the first browser that opens the link, records nothing, and expires', async () => {
    const now = Date.now();
    const site = await siteWith(campaignsConfig([{ id: 'quiet', name: 'Quiet', template: 'welcome_back', enabled: false }]));
    const draft = (await gallery(site.id)).journey.find((c) => c.id === 'signup_benefit')! as CampaignT;
    const edited = { ...draft, id: 'signup-draft', enabled: false, variants: [{ ...draft.variants[0]!, copy: { ko: { title: '미리보기 제목' }, en: {} } }] };
    const response = await previewLink(site.id, edited, now);
    expect(response.status).toBe(200);
    const link = (await response.json()) as { token: string; param: string; expires_at: number };
    expect(link.param).toBe('tp_preview');
    expect(link.expires_at).toBe(now + 15 * MINUTE);
    const url = `https://shop.example/product?id=1&tp_preview=${link.token}`;

    const first = new Shopper(site.id);
    first.now = now;
    const shown = await first.decide({ url });
    expect(shown.overlay).toMatchObject({ campaign: 'signup-draft', template: 'signup_benefit', trigger: { type: 'immediate' } });
    expect(shown.overlay!.decision_id.startsWith('preview-')).toBe(true);
    expect((shown.overlay!.props as { copy: { ko: { title: string } } }).copy.ko.title).toBe('미리보기 제목');
    // The same browser keeps seeing it; any other browser with the same link gets the shop as it is.
    expect((await first.decide({ url })).overlay?.campaign).toBe('signup-draft');
    const other = new Shopper(site.id);
    other.now = now;
    expect((await other.decide({ url })).overlay).toBeNull();
    // Without the token, or once it expired, nothing of it.
    expect((await first.decide({ url: 'https://shop.example/product?id=1' })).overlay).toBeNull();
    first.now = now + 16 * MINUTE;
    expect((await first.decide({ url })).overlay).toBeNull();
    expect(await rows('SELECT id FROM decisions WHERE site = ?1', site.id)).toEqual([]);
  });

  it('refuses a campaign that does not fit the contract, naming its fields with codes', async () => {
    const site = await siteWith(campaignsConfig([]));
    const draft = (await gallery(site.id)).journey.find((c) => c.id === 'cart_reminder')!;
    const response = await previewLink(site.id, { ...draft, caps: { ...draft.caps, per_day: 0 } }, Date.now());
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; issues: { path: string; code: string; limit?: number }[] } };
    expect(body.error.code).toBe('invalid_campaign');
    expect(body.error.issues).toContainEqual(expect.objectContaining({ path: 'caps.per_day', code: 'too_small', limit: 1 }));
    expect((await previewLink(site.id, draft, Date.now(), 'no-such-variant')).status).toBe(400);
  });

  it('words config issues with their code and bound', async () => {
    const site = await siteWith(campaignsConfig([]));
    const response = await putConfig(site.id, campaignsConfig([{ id: 'c', name: 'C', template: 'cart_reminder', caps: { per_day: 0 }, holdout_percent: 101 }]));
    expect(response.status).toBe(400);
    const issues = ((await response.json()) as { error: { issues: { path: string; code: string; limit?: number }[] } }).error.issues;
    expect(issues).toContainEqual(expect.objectContaining({ path: 'campaigns[0].caps.per_day', code: 'too_small', limit: 1 }));
    expect(issues).toContainEqual(expect.objectContaining({ path: 'campaigns[0].holdout_percent', code: 'too_big', limit: 100 }));
  });
});
