// The demo shop's back office for members: points, tiers and coupons, as a shop's own system
// keeps them (a real shop computes these on its server, from its database). The account page
// shows them and sends them to Touchpoint as the shop's server would: the server-side events
// points_updated, tier_updated, stamps_updated, coupon_issued and coupon_redeemed (README, "What the shop knows").
// A real shop POSTs them to /v1/admin/sites/:site/events with its site token; this static demo
// has no server, so under `npm start` they go through the development stand-in
// /v1/demo/member-facts, and no token ever reaches the page.
import { currentUser } from './account.js';
import { getLang } from './i18n.js';
import { allOrders } from './orders.js';
import { readJson, writeJson } from './storage.js';

const DAY = 86_400_000;
/** Spend (KRW, orders' subtotals) from which each tier starts. */
export const TIERS = [
  { name: 'BRONZE', from: 0 },
  { name: 'SILVER', from: 100_000 },
  { name: 'GOLD', from: 300_000 },
];
const SIGNUP_POINTS = 2_000;
const SIGNUP_POINTS_DAYS = 30;
const POINTS_RATE = 0.01;
const WELCOME_COUPON = { code: 'WELCOME10', benefit: { ko: '첫 구매 10% 할인', en: '10% off your first order' }, days: 14 };
const JOINED_KEY = 'haru.joined';

/** When this member joined, as the shop records it (the first time this browser saw them). */
function joinedAt(memberId, now) {
  const joined = readJson(JOINED_KEY, {});
  if (typeof joined[memberId] !== 'number') {
    joined[memberId] = now;
    writeJson(JOINED_KEY, joined);
  }
  return joined[memberId];
}

/**
 * @param {{ id: string }} user
 * @param {{ createdAt: number, subtotal: number }[]} orders  the member's orders
 */
export function membershipOf(user, orders, now = Date.now()) {
  const joined = joinedAt(user.id, now);
  const spend = orders.reduce((sum, o) => sum + o.subtotal, 0);
  const tierIndex = TIERS.findLastIndex((t) => spend >= t.from);
  const next = TIERS[tierIndex + 1] ?? null;
  const earned = orders.reduce((sum, o) => sum + Math.floor(o.subtotal * POINTS_RATE), 0);
  const signupExpires = joined + SIGNUP_POINTS_DAYS * DAY;
  const signupLeft = signupExpires > now ? SIGNUP_POINTS : 0;
  const firstOrder = orders.reduce((min, o) => Math.min(min, o.createdAt), Infinity);
  return {
    joinedAt: joined,
    spend,
    tier: TIERS[tierIndex].name,
    // The stamp programme: one stamp per order.
    stamps: orders.length,
    nextTier: next?.name ?? null,
    amountToNext: next ? next.from - spend : null,
    points: earned + signupLeft,
    expiring: signupLeft > 0 ? [{ amount: signupLeft, expires_at: signupExpires }] : [],
    coupons: [
      {
        code: WELCOME_COUPON.code,
        benefit: WELCOME_COUPON.benefit,
        expiresAt: joined + WELCOME_COUPON.days * DAY,
        // The welcome coupon goes to the first order.
        redeemedAt: Number.isFinite(firstOrder) ? firstOrder : null,
      },
    ],
  };
}

/** The server-side events the shop's server sends for this member (README, "What the shop knows"). */
export function shopServerEvents(user, m, lang) {
  const events = [
    { name: 'points_updated', props: { balance: m.points, expiring: m.expiring } },
    { name: 'stamps_updated', props: { stamps: m.stamps } },
    { name: 'tier_updated', props: { tier: m.tier, ...(m.nextTier ? { next_tier: m.nextTier, amount_to_next: m.amountToNext } : {}) } },
    ...m.coupons.map((c) => ({ name: 'coupon_issued', ts: m.joinedAt, props: { code: c.code, benefit: c.benefit[lang] ?? c.benefit.ko, expires_at: c.expiresAt } })),
    ...m.coupons.filter((c) => c.redeemedAt !== null).map((c) => ({ name: 'coupon_redeemed', ts: c.redeemedAt, props: { code: c.code } })),
  ];
  // An id from the content and the day: the same state sent again that day stores nothing new,
  // and the back office's daily sync keeps points and tier fresh (cards never show stale ones).
  const day = Math.floor(Date.now() / DAY);
  return events.map((e) => ({ id: `demo-${user.id}-${e.name}-${day}-${hash(JSON.stringify(e))}`, user_id: user.id, ...e }));
}

function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/** Sends the member's facts as the shop's server would; quietly nothing where the stand-in is off. */
export async function sendToTouchpoint(user, m, lang) {
  try {
    const response = await fetch('/v1/demo/member-facts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      // The site the page's script tag names (`demo`, or a copy of it a test runs against).
      body: JSON.stringify({ site: document.querySelector('script[data-site]')?.getAttribute('data-site') ?? 'demo', events: shopServerEvents(user, m, lang) }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** On every page of a signed-in member: what the back office would have sent since (a new order's
 * points and tier, the coupons). The account page shows the same figures. */
export function syncMemberFacts() {
  const user = currentUser();
  if (!user) return Promise.resolve(false);
  const orders = allOrders().filter((order) => order.userId === user.id);
  return sendToTouchpoint(user, membershipOf(user, orders), getLang());
}
