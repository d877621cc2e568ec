import type { CampaignT, DecideRequestT, DecisionT, SiteConfigT } from '../contract';
import type { CompiledConfig } from '../decide/compile-config';
import { compileCampaign } from '../decide/compile-config';
import { propsFacts, type DecideContext } from '../decide/engine';
import { buildProps } from '../decide/props';
import type { VisitorState } from '../decide/visitor-state';
import { PREVIEW_DECISION_PREFIX } from './preview-store';

/** The decision a preview link forces: the campaign, shown at once (its trigger is for shoppers,
 * not for the marketer checking the words), whatever its audience, caps and the overlay gap. The
 * props are the real ones for this browser (its cart, its products); a template whose content
 * this browser lacks (no product viewed for an interested-product nudge) previews nothing. */
export function previewDecision(
  campaign: CampaignT,
  token: string,
  ctx: { request: DecideRequestT; config: SiteConfigT; compiled: CompiledConfig; state: VisitorState; site: DecideContext['site']; now: number; device: DecideContext['device'] },
): { overlay: DecisionT | null; inline: DecisionT[] } {
  const compiledCampaign = compileCampaign(campaign);
  const variant = campaign.variants[0]!;
  const slot = campaign.placement === 'inline' ? campaign.slot : null;
  if (slot !== null && !ctx.request.page.slots.includes(slot)) return { overlay: null, inline: [] };
  let props: Record<string, unknown>;
  try {
    const decideCtx = { ...ctx, compiled: ctx.compiled };
    props = buildProps(compiledCampaign, variant, decideCtx, propsFacts(decideCtx));
  } catch {
    return { overlay: null, inline: [] };
  }
  const decision: DecisionT = {
    decision_id: `${PREVIEW_DECISION_PREFIX}${token.slice(0, 16)}`,
    campaign: campaign.id,
    template: campaign.template,
    widget: campaign.template,
    variant: variant.id,
    trigger: { type: 'immediate' },
    ...(slot !== null ? { slot } : {}),
    props,
  };
  return slot === null ? { overlay: decision, inline: [] } : { overlay: null, inline: [decision] };
}
