import { z } from 'zod';
import { Stage } from './audience';
import { AttributionWindows, Campaign, type CampaignT } from './campaign';
import { WidgetName, type WidgetNameT } from './decision';
import { DEFAULT_JOURNEY } from './default-journey';
import { DEFAULT_HANDOFFS, Handoff, HandoffCaps } from './handoff';
import { migrateLegacyConfig } from './legacy-config';
import { Theme } from './widget-props';


/** A site's marketing config: its campaigns (which template, for whom, when, how often, with
 * what copy) and the site-wide rules. Stored in KV with versions (edge/config). Every field has
 * a default, so `{}` is a working config for a Korean or English shop (the ready journey of
 * DEFAULT_JOURNEY); unknown keys are refused so a typo never passes silently. A config of the
 * older one-entry-per-widget shape is migrated on read (legacy-config.ts). */

export const MAX_CAMPAIGNS = 100;

const Campaigns = z
  .array(Campaign)
  .max(MAX_CAMPAIGNS, `must hold at most ${MAX_CAMPAIGNS} campaigns`)
  .prefault(() => structuredClone(DEFAULT_JOURNEY) as never)
  .check(everyTime(duplicateIds('campaign')));

/** Ids used twice, by path. */
function duplicateIds(noun: string) {
  return (payload: z.core.ParsePayload<unknown[]>): void => {
    const seen = new Set<unknown>();
    payload.value.forEach((c, i) => {
      const id = (c as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') return;
      if (seen.has(id)) payload.issues.push({ code: 'custom', path: [i, 'id'], message: `"${id}" is the id of another ${noun}`, input: id });
      seen.add(id);
    });
  };
}

/** A check that runs even when elements of the array failed (zod skips checks after an error by
 * default), so a refused config names its duplicate ids beside every other error. */
function everyTime<T>(fn: (payload: z.core.ParsePayload<T>) => void): z.core.$ZodCheck<T> {
  const check = z.superRefine<T>(() => {});
  check._zod.def.when = () => true;
  check._zod.check = fn;
  return check;
}

const SiteConfigObject = z.strictObject({
  /** Colours, radius and font of every widget (variants may override). */
  theme: Theme,
  overlays: z
    .strictObject({
      /** Overlays a page may show: 1, or 0 to switch every overlay off. Inline placements are not overlays. */
      max_per_page: z.number().int().min(0).max(1).default(1),
      /** Minutes after an overlay was shown (or held out) before another may be decided, whatever its campaign. */
      min_gap_minutes: z.number().min(0).max(7 * 24 * 60).default(30),
    })
    .prefault({}),
  stages: z
    .strictObject({
      /** A repeat buyer whose last purchase is this recent is 'active'; later, 'at_risk'. */
      repurchase_window_days: z.number().min(1).max(3650).default(60),
      /** A one-time buyer ('new') without a second purchase for this long is 'at_risk'. */
      at_risk_days: z.number().min(1).max(3650).default(60),
      /** A customer not seen for this long is 'dormant'; coming back makes them 'wakeup'. */
      dormant_days: z.number().min(1).max(3650).default(180),
      /** 'window': at_risk by the two fixed windows above. 'churn_risk': a customer is at_risk
       * once their personal churn risk (edge/decide/churn.ts) reaches `churn_risk_threshold`. */
      at_risk_model: z.enum(['window', 'churn_risk']).default('window'),
      churn_risk_threshold: z.number().min(0.5).max(0.999).default(0.8),
    })
    .prefault({})
    .superRefine((s, ctx) => {
      if (s.dormant_days <= Math.max(s.at_risk_days, s.repurchase_window_days)) {
        ctx.addIssue({ code: 'custom', path: ['dormant_days'], message: 'must be more than at_risk_days and repurchase_window_days' });
      }
    }),
  /** How long after a campaign's click or impression a conversion is credited to it (reports). */
  attribution: AttributionWindows.prefault({}),
  /** The campaigns, in the order ties of priority are broken. */
  campaigns: Campaigns,
  /** Moments handed to the shop's own messaging (edge/contract/handoff.ts). */
  handoffs: z
    .array(Handoff)
    .max(50, 'must hold at most 50 hand-offs')
    .prefault(() => structuredClone(DEFAULT_HANDOFFS) as never)
    .check(everyTime(duplicateIds('hand-off'))),
  handoff_caps: HandoffCaps.prefault({}),
  /** Only what legacy-config.ts could not migrate lands here, and is refused. */
  widgets: z.record(z.string(), z.custom<never>(() => false, { error: 'is not a widget Touchpoint knows, or came with `campaigns` (send one shape)' })).optional(),
});

/** The config in today's shape (the leftover `widgets` key is always absent once valid). */
export const SiteConfigShape = SiteConfigObject.transform(({ widgets: _legacy, ...config }) => config);

export const SiteConfig = z.preprocess(migrateLegacyConfig, SiteConfigShape);
export type SiteConfigT = z.infer<typeof SiteConfigShape>;
export type SiteConfigInput = Omit<z.input<typeof SiteConfigObject>, 'widgets'>;
/** GET/PUT /v1/admin/sites/:site/config answer. */
export const ConfigVersionInfo = z.object({
  version: z.number().int().min(0),
  updated_at: z.number().nullable(),
  /** 'operator' (ADMIN_TOKEN) or 'site' (the site's own token); 'default' for version 0. */
  role: z.enum(['operator', 'site', 'default']),
  /** From the X-Touchpoint-Actor header, when the caller sent one. */
  actor: z.string().nullable(),
  /** What the version was made from, e.g. "rollback to 3". */
  note: z.string().nullable(),
});
export type ConfigVersionInfoT = z.infer<typeof ConfigVersionInfo>;

export const ConfigRollbackRequest = z.strictObject({ version: z.number().int().min(1) });

/** Every template (widget module) a campaign can use. */
export const WIDGET_NAMES: readonly WidgetNameT[] = WidgetName.options;

export { Stage };

/** GET /v1/admin/sites/:site/templates: the ready journey's campaigns and one campaign of every
 * template with its defaults, every field filled in (the admin's gallery). */
export interface TemplateGalleryT {
  journey: CampaignT[];
  templates: CampaignT[];
}

/** GET /v1/admin/sites/:site/config/history. */
export interface ConfigHistoryT {
  current: number;
  versions: ConfigVersionInfoT[];
}
