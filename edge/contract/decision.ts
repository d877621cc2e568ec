import { z } from 'zod';
import { PageType } from './event';
import { ClientId, HttpUrl, SiteId, Text, UserHash } from './primitives';

/** The widgets Touchpoint can decide. Each has a module at /widgets/<name>.js. */
export const WidgetName = z.enum([
  'signup_benefit',
  'cart_reminder',
  'recommendations',
  'review_prompt',
  'marketing_consent',
  'interested_product',
  'welcome_back',
  'survey',
  'referral',
  // The journey's touch points (issue 16): welcome to stamps, tiers, points and replenishment.
  'welcome',
  'benefit_expiry',
  'second_purchase',
  'stamp_mission',
  'membership_tier',
  'points',
  'replenishment',
]);
export type WidgetNameT = z.infer<typeof WidgetName>;

export const ConsentState = z.object({ analytics: z.boolean(), marketing: z.boolean() });
export type ConsentStateT = z.infer<typeof ConsentState>;

/** When the client shows a decided overlay. The client arms the watcher; the server decides. */
export const Trigger = z.discriminatedUnion('type', [
  z.object({ type: z.literal('immediate') }),
  z.object({ type: z.literal('page_views'), count: z.number().int().min(1).max(100) }),
  z.object({ type: z.literal('time_on_page'), seconds: z.number().min(0).max(3600) }),
  z.object({ type: z.literal('scroll_depth'), percent: z.number().min(0).max(100) }),
  z.object({
    type: z.literal('exit_intent'),
    min_dwell_seconds: z.number().min(0).max(3600).default(5),
    /** Phones have no pointer leaving the window: show after this long instead. */
    mobile_fallback_seconds: z.number().min(0).max(3600).default(30),
  }),
  z.object({ type: z.literal('add_to_cart') }),
  z.object({ type: z.literal('return_visit') }),
]);
export type TriggerT = z.infer<typeof Trigger>;

/** POST /v1/decide body. `slots` names the inline placements present on the page
 * (`<div data-touchpoint="recommendations">`), so inline decisions are made only for them. */
export const DecideRequest = z.object({
  site: SiteId,
  anon_id: ClientId,
  user_id: Text(128).min(1).optional(),
  /** Proof of `user_id` (see the event's); without it a site with an identity secret answers as for an anonymous shopper. */
  user_hash: UserHash.optional(),
  session_id: ClientId,
  page: z.object({
    url: HttpUrl,
    type: PageType.optional(),
    referrer: Text(2048).optional(),
    lang: Text(16).optional(),
    slots: z.array(Text(64)).max(20).default([]),
    /** The product on a product page, for recommendations and nudges. */
    item_id: Text(128).optional(),
  }),
  consent: ConsentState,
  device: z.enum(['mobile', 'tablet', 'desktop']).optional(),
  /** Page views in this session so far, as the client counts them (the server keeps its own too). */
  session_page_views: z.number().int().min(0).max(100_000).optional(),
});
export type DecideRequestT = z.infer<typeof DecideRequest>;

/** One decided campaign. `props` is its widget's input (copy, theme, items), built on the edge.
 * `widget` and `template` both name the widget module (`widget` is the older name). */
export const Decision = z.object({
  decision_id: ClientId,
  /** The campaign's id (edge/contract/campaign.ts). */
  campaign: Text(64),
  template: WidgetName,
  widget: WidgetName,
  variant: Text(64),
  trigger: Trigger,
  /** For inline decisions: the `data-touchpoint` slot it fills. */
  slot: Text(64).optional(),
  props: z.record(z.string(), z.unknown()),
});
export type DecisionT = z.infer<typeof Decision>;

export const DecideResponse = z.object({
  overlay: Decision.nullable(),
  inline: z.array(Decision),
});
export type DecideResponseT = z.infer<typeof DecideResponse>;
