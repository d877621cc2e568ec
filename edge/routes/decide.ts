import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DecideRequest, LIMITS, type DecideRequestT, type DecideResponseT, type DecisionT } from '../contract';
import { unsafeJsonReason } from '../contract/json-safety';
import { getSiteConfig } from '../config/config-store';
import { compileConfig } from '../decide/compile-config';
import { controlAssignment, controlWriteStatements } from '../decide/control-group';
import { decide, type Decided } from '../decide/engine';
import { fillRecommendations, shelvesAhead, showsShelves } from '../decide/recommendations-props';
import { siteTrending } from '../recs/trending';
import { fillReferrals } from '../referrals/fill-props';
import { recordDecisions } from '../decide/record';
import { attributionWindows } from '../report/attribution';
import { deviceOf } from '../decide/request-context';
import { readVisitorState, readVisitorStateWith } from '../decide/visitor-state';
import type { AppEnv } from '../env';
import { ApiError, errorBody } from '../lib/api-error';
import { requestTime } from '../lib/clock';
import { enforceSiteRate } from '../lib/rate-limit';
import { TokenBuckets } from '../lib/token-bucket';
import { describeIssues } from '../lib/zod-issues';
import { siteForRequest } from '../sites/site-for-request';
import { userVerifier } from '../sites/verify-user';
import { previewDecision } from '../preview/preview-decision';
import { PREVIEW_PARAM, previewFor } from '../preview/preview-store';
import { siteDb } from '../sites/site-database';

const DECIDE_BODY_BYTES = 16 * 1024;
/** One decide costs one token of the site's rate (a bucket of its own, beside the collector's). */
const rateLimits = new TokenBuckets();
const SHAPE_HINT = 'Send {"site", "anon_id", "session_id", "page": {"url", ...}, "consent": {"analytics", "marketing"}} as text/plain or application/json.';

function readDecideRequest(text: string): DecideRequestT {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', `The body is not valid JSON. ${SHAPE_HINT}`);
  }
  const unsafe = unsafeJsonReason(body, LIMITS.jsonDepth);
  if (unsafe) throw new ApiError(400, 'invalid_request', `${unsafe}. ${SHAPE_HINT}`);
  const parsed = DecideRequest.safeParse(body);
  if (!parsed.success) throw new ApiError(400, 'invalid_request', `${describeIssues(parsed.error)}. ${SHAPE_HINT}`);
  return parsed.data;
}

const toDecision = (d: Decided): DecisionT => ({
  decision_id: d.decision_id,
  campaign: d.campaign,
  template: d.template,
  widget: d.template,
  variant: d.variant,
  trigger: d.trigger,
  ...(d.slot !== null ? { slot: d.slot } : {}),
  props: d.props,
});

/** POST /v1/decide: at most one overlay and the inline placements for the page's slots (a
 * recommendations shelf with its products). Reads
 * the site config from the isolate cache and the shopper from D1 in one batch (from the nearest
 * read replica where D1 read replication is on); decisions are
 * recorded in waitUntil. `Server-Timing: decide;dur=<ms>, d1;dur=<ms>, d1-sql;dur=<ms>` is the time
 * spent in this handler, the part of it spent reading D1, and what D1 says that read's SQL took. */
export const decideRoute = new Hono<AppEnv>().post(
  '/v1/decide',
  bodyLimit({
    maxSize: DECIDE_BODY_BYTES,
    onError: (c) => c.json(errorBody('body_too_large', `The body is over ${DECIDE_BODY_BYTES} bytes.`), 413),
  }),
  async (c) => {
    const started = performance.now();
    const now = requestTime(c);
    const defer = (work: Promise<unknown>) => c.executionCtx.waitUntil(work);
    const request = readDecideRequest(await c.req.text());
    const site = await siteForRequest(c, request.site);
    enforceSiteRate(rateLimits, site, 1, 'decide');
    const db = siteDb(c.env, site);
    // An unproven member id decides as for the anonymous browser: no member's cart or history in the props.
    if (request.user_id && !(await userVerifier(site)(request.user_id, request.user_hash))) delete request.user_id;
    const { config } = await getSiteConfig(c.env.KV, site.id, now, defer);
    const compiled = compileConfig(config);
    // A marketer's preview link (admin "preview on my shop"): only pages whose URL carries one pay the KV read.
    if (request.page.url.includes(PREVIEW_PARAM)) {
      const preview = await previewFor(c.env.KV, site.id, request.page.url, request.anon_id, now);
      if (preview) {
        const previewConfig = compileConfig({ ...config, campaigns: [preview.campaign] });
        const state = await readVisitorState(db, { site: site.id, anon_id: request.anon_id, user_id: request.user_id ?? null, session_id: request.session_id, timezone: site.timezone }, previewConfig, now);
        c.header('Cache-Control', 'no-store');
        return c.json(previewDecision(preview.campaign, preview.token, { request, config, compiled: previewConfig, state, site, now, device: deviceOf(request.device, c.req.header('User-Agent')) }) satisfies DecideResponseT);
      }
    }

    let body: DecideResponseT = { overlay: null, inline: [] };
    let readMs = 0;
    let sqlMs = 0;
    const respond = (answer: DecideResponseT) => {
      c.header('Cache-Control', 'no-store');
      c.header('Server-Timing', `decide;dur=${(performance.now() - started).toFixed(2)}, d1;dur=${readMs.toFixed(2)}, d1-sql;dur=${sqlMs.toFixed(2)}`);
      return c.json(answer);
    };
    if (compiled.campaigns.length > 0) {
      const readStarted = performance.now();
      // Any replica will do: a decision may miss the last second of history, not wait for the primary.
      const replica = db.withSession('first-unconstrained');
      const trending = showsShelves(compiled) ? await siteTrending(replica, site.id, now, defer) : [];
      const ahead = shelvesAhead(replica, site.id, request, compiled, trending);
      const ref = { site: site.id, anon_id: request.anon_id, user_id: request.user_id ?? null, session_id: request.session_id, timezone: site.timezone };
      const { state, alongside: shelfAnswers, sqlMs: readSqlMs } = await readVisitorStateWith(replica, ref, compiled, now, ahead.statements);
      readMs = performance.now() - readStarted;
      sqlMs = readSqlMs;
      const control = controlAssignment(state.control, state.visitorId, site, now);
      if (control.write) {
        const statements = controlWriteStatements(db, site.id, control.write);
        c.executionCtx.waitUntil(db.batch(statements).catch((err) => console.error('control group not recorded', err)));
      }
      // The store-wide control group sees nothing, ever (its assignment is the record).
      if (control.inControl) return respond(body);
      const outcome = decide({
        request,
        site,
        compiled,
        state,
        now,
        device: deviceOf(request.device, c.req.header('User-Agent')),
      });
      const candidates = [outcome.overlay, ...outcome.inline].filter((d): d is Decided => d !== null);
      await fillRecommendations(replica, site.id, request, state, candidates, ahead, shelfAnswers);
      // The primary: a member's first invite code is written here.
      const decided = await fillReferrals(db, site.id, state.visitorId, candidates, now);
      const kept = (d: Decided | null): d is Decided => d !== null && !d.holdout && decided.includes(d);
      if (decided.length > 0) {
        c.executionCtx.waitUntil(
          recordDecisions(db, site.id, state.visitorId, request.session_id, now, outcome.stage, decided, attributionWindows(config), site.timezone).catch((err) => console.error('decisions not recorded', err)),
        );
      }
      body = {
        overlay: kept(outcome.overlay) ? toDecision(outcome.overlay) : null,
        inline: outcome.inline.filter(kept).map(toDecision),
      };
    }
    return respond(body);
  },
);
