// A marketer's admin tab for the browser tests: Chromium at desktop size in Korean, signed in to a
// site with its own token (the session the admin keeps in sessionStorage), page errors collected.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';

export async function openAdminTab(worker: string, site: string, token: string): Promise<{ browser: Browser; page: Page; problems: string[] }> {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${worker}/admin/`);
  await page.evaluate(([s, t]) => sessionStorage.setItem('touchpoint-admin', JSON.stringify({ site: s, token: t })), [site, token]);
  return { browser, page, problems };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical axe violations of the page as it is now. */
export async function seriousAxeViolations(p: Page): Promise<string[]> {
  // Evaluated through the devtools protocol: the admin's CSP (rightly) refuses inline script.
  if (!(await p.evaluate(() => 'axe' in window))) await p.evaluate(AXE);
  const result = await p.evaluate(async () => {
    const run = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe;
    return run.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3).join(', ')}`);
}
