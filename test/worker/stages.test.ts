import { describe, expect, it } from 'vitest';
import { DAY, putConfig, quietConfig, Shopper, siteWith } from './shopper';

/** Stage thresholds of these tests: active while the last of 2+ purchases is within 30 days,
 * new (one purchase) at risk after 45 days, dormant after 120 days unseen. */
const stages = { repurchase_window_days: 30, at_risk_days: 45, dormant_days: 120 };
const welcomeBack = { welcome_back: { enabled: true } };

async function customer(orders: number) {
  const site = await siteWith(quietConfig(welcomeBack, { stages }));
  const s = new Shopper(site.id);
  await s.pageView();
  for (let i = 0; i < orders; i++) await s.advance(DAY).track('purchase', { transaction_id: `T-${i}`, value: 10000, items: [{ item_id: 'sku-1', price: 10000 }] });
  return s;
}

const stageOf = async (s: Shopper) => (await s.profile()).stage as string;

describe('lifecycle stages', () => {
  it('prospect -> new on the first purchase', async () => {
    const s = await customer(0);
    expect(await stageOf(s)).toBe('prospect');
    await s.track('purchase', { transaction_id: 'T-first', value: 5000, items: [] });
    expect(await stageOf(s)).toBe('new');
  });

  it('new -> active on a second purchase', async () => {
    const s = await customer(1);
    expect(await stageOf(s)).toBe('new');
    await s.advance(10 * DAY).track('purchase', { transaction_id: 'T-second', value: 5000, items: [] });
    expect(await stageOf(s)).toBe('active');
  });

  it('new -> at_risk after at_risk_days without another purchase', async () => {
    const s = await customer(1);
    s.advance(45 * DAY - 60_000);
    expect(await stageOf(s)).toBe('new');
    s.advance(2 * 60_000);
    expect(await stageOf(s)).toBe('at_risk');
  });

  it('active -> at_risk past the repurchase window', async () => {
    const s = await customer(2);
    s.advance(30 * DAY - 60_000);
    expect(await stageOf(s)).toBe('active');
    s.advance(2 * 60_000);
    expect(await stageOf(s)).toBe('at_risk');
  });

  it('at_risk -> dormant when not seen for dormant_days; a prospect never goes dormant', async () => {
    const s = await customer(1);
    s.advance(100 * DAY);
    expect(await stageOf(s)).toBe('at_risk');
    s.advance(21 * DAY);
    expect(await stageOf(s)).toBe('dormant');

    const prospect = await customer(0);
    prospect.advance(400 * DAY);
    expect(await stageOf(prospect)).toBe('prospect');
  });

  it('dormant -> wakeup when they come back, and welcome_back is decided for them', async () => {
    const s = await customer(1);
    s.advance(200 * DAY).newSession();
    expect(await stageOf(s)).toBe('dormant');
    // The decide request itself is a return, before this visit's events are applied.
    expect((await s.overlay())?.widget).toBe('welcome_back');
    await s.pageView();
    expect(await stageOf(s)).toBe('wakeup');
    s.advance(10 * DAY);
    expect(await stageOf(s)).toBe('wakeup');
  });

  it('wakeup -> new/active on a purchase, -> at_risk after at_risk_days, -> dormant when gone again', async () => {
    const bought = await customer(1);
    await bought.advance(200 * DAY).newSession().pageView();
    expect(await stageOf(bought)).toBe('wakeup');
    await bought.advance(DAY).track('purchase', { transaction_id: 'T-back', value: 5000, items: [] });
    expect(await stageOf(bought)).toBe('active');
    expect((await bought.overlay())).toBeNull(); // welcome_back is for wakeup only

    const lingering = await customer(1);
    await lingering.advance(200 * DAY).newSession().pageView();
    lingering.advance(45 * DAY + 60_000);
    expect(await stageOf(lingering)).toBe('at_risk');
    lingering.advance(121 * DAY);
    expect(await stageOf(lingering)).toBe('dormant');
  });

  it('applies changed thresholds at once, to profiles already stored', async () => {
    const s = await customer(1);
    s.advance(20 * DAY);
    expect(await stageOf(s)).toBe('new');
    const response = await putConfig(s.site, quietConfig(welcomeBack, { stages: { ...stages, at_risk_days: 14 } }));
    expect(response.status).toBe(200);
    expect(await stageOf(s)).toBe('at_risk');
  });
});
