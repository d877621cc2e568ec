import { describe, expect, it } from 'vitest';
import { localClock, localDayStart } from '../../edge/lib/site-time';
import { DAY, HOUR, quietConfig, Shopper, siteWith, type Decision } from './shopper';

const immediate = { type: 'immediate' };
const noCaps = { per_session: null, per_day: null, lifetime: null, dismiss_cooldown_hours: 0, never_after_conversion: false };

/** A site with one overlay widget (signup_benefit, shown at once) under the given caps. */
async function capped(caps: Record<string, unknown>, rest: Record<string, unknown> = {}) {
  const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: immediate, caps: { ...noCaps, ...caps } } }, rest));
  return new Shopper(site.id);
}

/** Decides, and when something is decided the widget shows it (impression). */
async function seeOverlay(s: Shopper): Promise<Decision | null> {
  const decision = await s.overlay();
  if (decision) await s.widgetEvent('widget_impression', decision);
  return decision;
}

describe('caps', () => {
  it('per session: once shown in a session, not again in it; a new session may', async () => {
    const s = await capped({ per_session: 1 });
    const first = (await s.overlay())!;
    expect(first.widget).toBe('signup_benefit');
    expect((await s.overlay())?.widget).toBe('signup_benefit'); // decided but never shown: not counted
    await s.widgetEvent('widget_impression', first);
    expect(await s.overlay()).toBeNull();
    s.advance(HOUR).newSession();
    expect(await seeOverlay(s)).not.toBeNull();
  });

  it('per day: at most N exposures a day, the count restarting at local midnight of the site (Seoul by default)', async () => {
    // 21:00 tomorrow in Seoul (12:00 UTC).
    const evening = localDayStart(localClock(Date.now(), 'Asia/Seoul').day + 1, 'Asia/Seoul') + 21 * HOUR;
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: immediate, caps: { ...noCaps, per_day: 2 } } }));
    const s = new Shopper(site.id, evening);
    expect(await seeOverlay(s)).not.toBeNull();
    s.advance(HOUR).newSession();
    expect(await seeOverlay(s)).not.toBeNull();
    s.advance(HOUR).newSession(); // 23:00
    expect(await s.overlay()).toBeNull();
    s.advance(HOUR - 120_000); // 23:58
    expect(await s.overlay()).toBeNull();
    s.advance(3 * 60_000); // 00:01 the next Seoul day: 3 hours after the first exposure
    expect(await seeOverlay(s)).not.toBeNull();
    expect(await seeOverlay(s)).not.toBeNull();
    expect(await s.overlay()).toBeNull();
  });

  it('per day: a site in UTC keeps counting past Seoul midnight until its own', async () => {
    const evening = localDayStart(localClock(Date.now(), 'Asia/Seoul').day + 1, 'Asia/Seoul') + 21 * HOUR; // 12:00 UTC
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: immediate, caps: { ...noCaps, per_day: 2 } } }), { timezone: 'UTC' });
    const s = new Shopper(site.id, evening);
    expect(await seeOverlay(s)).not.toBeNull();
    s.advance(HOUR).newSession();
    expect(await seeOverlay(s)).not.toBeNull();
    s.advance(2 * HOUR + 60_000).newSession(); // 00:01 in Seoul, 15:01 in UTC
    expect(await s.overlay()).toBeNull();
    s.advance(9 * HOUR - 2 * 60_000); // 23:59 UTC
    expect(await s.overlay()).toBeNull();
    s.advance(2 * 60_000); // 00:01 UTC
    expect(await seeOverlay(s)).not.toBeNull();
  });

  it('lifetime: never more than N exposures', async () => {
    const s = await capped({ lifetime: 2 });
    expect(await seeOverlay(s)).not.toBeNull();
    s.advance(3 * DAY).newSession();
    expect(await seeOverlay(s)).not.toBeNull();
    s.advance(300 * DAY).newSession();
    expect(await s.overlay()).toBeNull();
  });

  it('dismiss cooldown: nothing of the widget for that long after a dismissal', async () => {
    const s = await capped({ dismiss_cooldown_hours: 48 });
    const shown = (await seeOverlay(s))!;
    expect(await s.overlay()).not.toBeNull();
    await s.widgetEvent('widget_dismiss', shown);
    expect(await s.overlay()).toBeNull();
    s.advance(47 * HOUR).newSession();
    expect(await s.overlay()).toBeNull();
    s.advance(2 * HOUR);
    expect(await s.overlay()).not.toBeNull();
  });

  it('never after conversion: signup_benefit stops for good after a lead or sign-up that followed it', async () => {
    const s = await capped({ never_after_conversion: true });
    const shown = (await seeOverlay(s))!;
    await s.track('lead_submit', { decision_id: shown.decision_id, email: 'c@example.com', marketing_consent: false });
    expect(await s.overlay()).toBeNull();
    s.advance(90 * DAY).newSession();
    expect(await s.overlay()).toBeNull();

    // Without the cap the same history does not stop it.
    const free = await capped({ never_after_conversion: false });
    const again = (await seeOverlay(free))!;
    await free.track('lead_submit', { decision_id: again.decision_id, email: 'd@example.com', marketing_consent: false });
    expect(await free.overlay()).not.toBeNull();
  });

  it('never after conversion: cart_reminder stops after a purchase that followed it, even with a new cart', async () => {
    const site = await siteWith(quietConfig({ cart_reminder: { enabled: true, trigger: immediate, caps: { ...noCaps, never_after_conversion: true } } }));
    const s = new Shopper(site.id);
    const item = { item_id: 'sku-1', item_name: 'Socks', price: 5000 };
    // A purchase before any reminder converts nothing.
    await s.track('purchase', { transaction_id: 'T-0', value: 5000, items: [item] });
    await s.track('add_to_cart', { currency: 'KRW', items: [item] });
    const reminder = (await seeOverlay(s))!;
    expect(reminder.widget).toBe('cart_reminder');
    await s.advance(HOUR).track('purchase', { transaction_id: 'T-1', value: 5000, items: [item] });
    expect(await s.overlay()).toBeNull(); // cart is empty
    await s.advance(DAY).newSession().track('add_to_cart', { currency: 'KRW', items: [item] });
    expect(await s.overlay()).toBeNull(); // converted already
    expect((await s.profile()).campaigns.cart_reminder).toMatchObject({ impressions: 1, conversions: 1 });
  });
});

describe('overlays site-wide', () => {
  it('a minimum gap between overlays, whichever widget showed', async () => {
    const site = await siteWith(
      quietConfig(
        {
          welcome_back: { enabled: true, trigger: immediate, priority: 90, audience: { stages: ['prospect'] }, caps: { ...noCaps, per_session: 1 } },
          signup_benefit: { enabled: true, trigger: immediate, priority: 10, caps: noCaps },
          recommendations: { enabled: true },
        },
        { overlays: { min_gap_minutes: 30 } },
      ),
    );
    const s = new Shopper(site.id);
    expect((await seeOverlay(s))?.widget).toBe('welcome_back');
    s.advance(29 * 60_000);
    const body = await s.decide({ slots: ['recommendations'] });
    expect(body.overlay).toBeNull();
    expect(body.inline.map((d) => d.widget)).toEqual(['recommendations']); // inline placements are not overlays
    s.advance(2 * 60_000);
    expect((await s.overlay())?.widget).toBe('signup_benefit'); // welcome_back is capped for this session
  });

  it('the profile view says which eligible campaign decide picks now and what holds the others back', async () => {
    const site = await siteWith(
      quietConfig(
        {
          welcome_back: { enabled: true, trigger: immediate, priority: 90, audience: { stages: ['prospect'] }, caps: { ...noCaps, lifetime: 1 } },
          signup_benefit: { enabled: true, trigger: immediate, priority: 10, caps: noCaps },
          recommendations: { enabled: true },
        },
        { overlays: { min_gap_minutes: 30 } },
      ),
    );
    const s = new Shopper(site.id);
    await s.pageView();
    const line = async (campaign: string) => (await s.profile()).eligibility.find((e: any) => e.campaign === campaign);
    expect(await line('welcome_back')).toMatchObject({ eligible: true, shows_now: true, held_back: null, held_back_code: null });
    expect(await line('signup_benefit')).toMatchObject({ eligible: true, shows_now: false, held_back_code: 'outranked', held_back_values: { campaign: 'welcome_back' } });
    expect((await line('signup_benefit')).held_back).toMatch(/^campaign .+ comes first$/);
    expect(await line('recommendations')).toMatchObject({ eligible: true, shows_now: true });

    expect((await seeOverlay(s))?.widget).toBe('welcome_back');
    s.advance(10 * 60_000);
    expect(await line('welcome_back')).toMatchObject({ eligible: false, shows_now: false, reason_code: 'lifetime_cap' });
    expect(await line('signup_benefit')).toMatchObject({ eligible: true, shows_now: false, held_back: 'the gap between overlays: another can show in 20 minutes', held_back_code: 'overlay_gap', held_back_values: { minutes: 20 } });
    expect(await line('recommendations')).toMatchObject({ shows_now: true }); // inline placements are not overlays
    s.advance(20 * 60_000);
    expect(await line('signup_benefit')).toMatchObject({ shows_now: true, held_back: null });
    expect((await s.overlay())?.widget).toBe('signup_benefit');

    const off = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: immediate } }, { overlays: { max_per_page: 0 } }));
    const t = new Shopper(off.id);
    await t.pageView();
    expect((await t.profile()).eligibility.find((e: any) => e.campaign === 'signup_benefit')).toMatchObject({ eligible: true, shows_now: false, held_back_code: 'overlays_off' });
  });

  it('the profile view reads a shopper in the middle of a visit as on its next page, one gone quiet as at the start of a new one', async () => {
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: immediate, caps: { ...noCaps, per_session: 1 } } }));
    const s = new Shopper(site.id);
    await s.pageView();
    await s.pageView();
    const seen = (await seeOverlay(s))!;
    expect(seen.widget).toBe('signup_benefit');
    s.advance(20 * 60_000);
    let view = await s.profile();
    expect(view.visit).toEqual({ session_id: s.session, page_views: 2, last_seen: expect.any(Number) });
    expect(view.eligibility.find((e: any) => e.campaign === 'signup_benefit')).toMatchObject({ eligible: false, reason_code: 'session_cap' });
    expect(await s.overlay()).toBeNull(); // as decide says on that visit's next page

    s.advance(11 * 60_000); // 31 minutes without an event: the next page starts a new visit
    view = await s.profile();
    expect(view.visit).toBeNull();
    expect(view.eligibility.find((e: any) => e.campaign === 'signup_benefit')).toMatchObject({ eligible: true, shows_now: true });
  });

  it('max_per_page 0 switches every overlay off, inline placements stay', async () => {
    const site = await siteWith(quietConfig({ signup_benefit: { enabled: true, trigger: immediate }, recommendations: { enabled: true } }, { overlays: { max_per_page: 0 } }));
    const body = await new Shopper(site.id).decide({ slots: ['recommendations'] });
    expect(body.overlay).toBeNull();
    expect(body.inline).toHaveLength(1);
  });

  it('a held-out overlay keeps the gap too, so both groups see overlays at the same pace', async () => {
    const site = await siteWith(
      quietConfig(
        {
          welcome_back: { enabled: true, trigger: immediate, priority: 90, holdout_percent: 100, audience: { stages: ['prospect'] }, caps: { ...noCaps, per_session: 1 } },
          signup_benefit: { enabled: true, trigger: immediate, priority: 10, caps: noCaps },
        },
        { overlays: { min_gap_minutes: 30 } },
      ),
    );
    const s = new Shopper(site.id);
    expect(await s.overlay()).toBeNull(); // welcome_back, held out
    s.advance(10 * 60_000);
    expect(await s.overlay()).toBeNull();
    s.advance(25 * 60_000);
    expect((await s.overlay())?.widget).toBe('signup_benefit');
  });
});

describe('suppression by identity', () => {
  it('a dismissal on one device suppresses the prompt on another once the shopper logs in there', async () => {
    const site = await siteWith(quietConfig({ marketing_consent: { enabled: true, trigger: immediate, caps: { ...noCaps, dismiss_cooldown_hours: 72 } } }));
    const laptop = new Shopper(site.id);
    await laptop.identify('member-55');
    const shown = (await seeOverlay(laptop))!;
    await laptop.widgetEvent('widget_dismiss', shown);
    expect(await laptop.overlay()).toBeNull();

    const phone = laptop.onAnotherDevice();
    await phone.pageView();
    expect(await phone.overlay()).not.toBeNull(); // an unknown phone: nothing links it to the member yet
    await phone.identify('member-55');
    expect(await phone.overlay()).toBeNull();
    phone.user = undefined; // later requests from the phone without user_id: the link still holds
    expect(await phone.overlay()).toBeNull();
    phone.advance(73 * HOUR).newSession();
    expect(await phone.overlay()).not.toBeNull();
  });

  it('what the anonymous phone saw before login joins the member: its caps follow to the laptop', async () => {
    const site = await siteWith(quietConfig({ marketing_consent: { enabled: true, trigger: immediate, caps: { ...noCaps, lifetime: 1 } } }));
    const phone = new Shopper(site.id);
    expect(await seeOverlay(phone)).not.toBeNull();
    await phone.identify('member-56');
    const laptop = phone.onAnotherDevice();
    laptop.user = 'member-56';
    expect(await laptop.overlay()).toBeNull();
  });
});
