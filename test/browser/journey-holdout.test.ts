// Journey 7: over many visitors, about the configured share are held out: their decision is
// recorded, and they are shown nothing. Direct /v1/decide calls, as many browsers would make.
import { describe, expect, it } from 'vitest';
import { queryD1 } from '../support/local-d1';
import { createSite, onlyWidgets, putConfig, WORKER } from './journey-support';

const SITE = 'journey-holdout';
const VISITORS = 400;
const HOLDOUT = 30;

describe('journey: holdout', () => {
  it('holds out about the configured share, recording their decisions and showing them nothing', async () => {
    await createSite(SITE);
    await putConfig(SITE, onlyWidgets({ signup_benefit: { holdout_percent: HOLDOUT, trigger: { type: 'immediate' } } }));

    const shown: string[] = [];
    const notShown: string[] = [];
    const run = Date.now().toString(36);
    for (let batch = 0; batch < VISITORS; batch += 20) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const anon = `holdout-${run}-${batch + i}`;
          const response = await fetch(`${WORKER}/v1/decide`, {
            method: 'POST',
            headers: { 'Content-Type': 'text/plain', Origin: WORKER },
            body: JSON.stringify({ site: SITE, anon_id: anon, session_id: `s-${anon}`, page: { url: `${WORKER}/demo/`, type: 'home' }, consent: { analytics: true, marketing: true }, session_page_views: 1 }),
          });
          expect(response.status).toBe(200);
          const body = (await response.json()) as { overlay: { widget: string } | null };
          (body.overlay?.widget === 'signup_benefit' ? shown : notShown).push(anon);
        }),
      );
    }
    // Decisions are recorded after the answer (waitUntil).
    await expect.poll(() => queryD1<{ n: number }>(`SELECT COUNT(*) AS n FROM decisions WHERE site = '${SITE}'`)[0]!.n, { timeout: 15_000 }).toBe(VISITORS);
    const held = queryD1<{ visitor_id: string }>(`SELECT visitor_id FROM decisions WHERE site = '${SITE}' AND holdout = 1`);
    const share = (held.length / VISITORS) * 100;
    // 400 visitors at 30%: the standard deviation is 2.3 points; 8 points is over three of them.
    expect(share).toBeGreaterThan(HOLDOUT - 8);
    expect(share).toBeLessThan(HOLDOUT + 8);
    expect(notShown).toHaveLength(held.length);
    expect(shown).toHaveLength(VISITORS - held.length);
  });
});
