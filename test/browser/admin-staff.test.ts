// The admin's staff list (Audiences page) in real Chromium against the real worker: read, edited
// with the keyboard only and saved with the site's own token, a bad id refused in the marketer's
// language with nothing changed, and the saved list keeping that member's events out of the data.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openAdminTab } from '../support/admin-tab';
// @ts-expect-error plain ESM build scripts, no declarations
import { DEMO_SITE, ensureSite } from '../../scripts/lib/dev-worker.mjs';

const WORKER = inject('workerUrl');
const SITE = 'admin-staff-test';
const SITE_TOKEN = 'admin-staff-site-token-0123456789abcdef';

let browser: Browser;
let page: Page;
let problems: string[] = [];

const staffOf = async (): Promise<string[]> =>
  ((await (await fetch(`${WORKER}/v1/admin/sites/${SITE}`, { headers: { Authorization: `Bearer ${SITE_TOKEN}` } })).json()) as { staff_user_ids: string[] }).staff_user_ids;

beforeAll(async () => {
  await ensureSite(WORKER, inject('adminToken'), SITE, { ...DEMO_SITE, name: 'Staff test shop', staff_user_ids: ['staff-kim'] }, SITE_TOKEN);
  ({ browser, page, problems } = await openAdminTab(WORKER, SITE, SITE_TOKEN));
});

afterAll(async () => {
  await browser?.close();
});

describe('admin: staff excluded from the data', () => {
  it('shows the list, saves an edit made with the keyboard, and refuses a bad id without changing anything', async () => {
    await page.goto(`${WORKER}/admin/audiences`);
    const ids = page.getByLabel('직원 회원 ID (한 줄에 하나, 최대 500개)');
    await expect.poll(() => ids.inputValue()).toBe('staff-kim');

    // Keyboard only: focus the field, add a line, Tab to the button, Enter.
    await ids.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('staff-lee');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('직원 목록 저장');
    await page.keyboard.press('Enter');
    const status = page.locator('[data-staff-status]');
    await expect.poll(() => status.textContent()).toBe('직원 2명을 저장했어요.');
    expect(await staffOf()).toEqual(['staff-kim', 'staff-lee']);

    // An id over 128 characters: refused, worded in Korean, the stored list unchanged.
    await ids.fill(`staff-kim\n${'x'.repeat(129)}`);
    await page.getByRole('button', { name: '직원 목록 저장' }).click();
    await expect.poll(() => status.textContent()).toContain('128자 이하');
    expect(await staffOf()).toEqual(['staff-kim', 'staff-lee']);

    // English too, and on a phone the card fits the screen.
    await page.getByRole('combobox').first().selectOption('en');
    await expect.poll(() => page.getByLabel('Staff member ids (one per line, at most 500)').isVisible()).toBe(true);
    await page.setViewportSize({ width: 390, height: 844 });
    const card = await page.locator('section.staff').boundingBox();
    expect(card!.x).toBeGreaterThanOrEqual(0);
    expect(card!.x + card!.width).toBeLessThanOrEqual(390);
    const field = await page.locator('#staff-ids').boundingBox();
    expect(field!.x + field!.width).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
  });

  it("keeps the saved staff member's events out of the data", async () => {
    const event = (user_id: string) => ({ id: `evt-${crypto.randomUUID()}`, name: 'page_view', ts: Date.now() - 1000, anon_id: 'anon-staff-lee', session_id: 'sess-staff-lee', url: 'https://shop.example/', user_id, props: {} });
    const response = await fetch(`${WORKER}/v1/collect`, { method: 'POST', headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36' }, body: JSON.stringify({ site: SITE, sent_at: Date.now(), events: [event('staff-lee'), event('member-park')] }) });
    expect(await response.json()).toMatchObject({ accepted: 1, excluded: 1 });
  });
});
