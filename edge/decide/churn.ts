import { DAY_MS } from '../lib/time';

/**
 * Personal churn risk (seed 000, "early warning"): how unusual the shopper's current silence is
 * for their own rhythm of buying, not one threshold for all.
 *
 * Model: the gaps between a shopper's orders are log-normal, ln(gap) ~ N(μ, σ²). μ and σ are the
 * mean and spread of the shopper's own log gaps, shrunk toward a prior worth PRIOR_WEIGHT gaps so
 * that few orders say little: the prior's median gap is such that 95% of gaps fall within the
 * site's `repurchase_window_days`, with spread PRIOR_SIGMA. The risk is the share of the
 * shopper's usual gaps shorter than the time since their last order,
 *   risk = Φ((ln recency − μ) / σ),
 * so a shopper who orders every 10 days is at 0.99 after 40 silent days, one who orders every 90
 * days at about 0.2. It uses intervals (μ, σ), recency and frequency (how far the shopper's own
 * gaps outweigh the prior). Limits: it assumes the shopper is still alive and just late (no
 * separate dropout process as in BG/NBD), ignores seasonality and basket size, and for a
 * shopper with one order it is the prior alone.
 */

export const PRIOR_WEIGHT = 1;
export const PRIOR_SIGMA = 0.8;
const MIN_SIGMA = 0.25;
/** Orders closer than this are one shopping trip split in two, not a gap. */
const MIN_GAP_MS = DAY_MS / 2;
const Z95 = 1.6449;

export interface ChurnEstimate {
  /** 0 to 1. */
  risk: number;
  /** The shopper's typical gap (e^μ), in days. */
  typical_gap_days: number;
  /** Gaps of their own the estimate stands on. */
  gaps: number;
  days_since_last_order: number;
}

/** How many of a shopper's latest orders the estimate reads (decide reads no more). */
export const ORDER_TIMES_READ = 50;

/** Abramowitz & Stegun 7.1.26: erf(x) ≈ 1 − t·(a1 + t·(a2 + …)) e^(−x²), t = 1 / (1 + P·x). */
const ERF_P = 0.3275911;
const ERF_A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429] as const;

/** Standard normal CDF (error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + ERF_P * x);
  const erf = 1 - ERF_A.reduceRight((sum, a) => sum * t + a, 0) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

const priorMuOf = (repurchaseWindowDays: number) => Math.log(repurchaseWindowDays) - Z95 * PRIOR_SIGMA;

/** The risk at `now` from the times of the shopper's orders (any order); null without orders. */
export function churnRisk(orderTimes: readonly number[], now: number, repurchaseWindowDays: number): ChurnEstimate | null {
  if (orderTimes.length === 0) return null;
  const times = [...orderTimes].sort((a, b) => a - b);
  const logs: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!;
    if (gap >= MIN_GAP_MS) logs.push(Math.log(gap / DAY_MS));
  }
  const priorMu = priorMuOf(repurchaseWindowDays);
  const k = logs.length;
  const mean = k > 0 ? logs.reduce((s, v) => s + v, 0) / k : priorMu;
  const squares = logs.reduce((s, v) => s + (v - mean) ** 2, 0);
  const mu = (k * mean + PRIOR_WEIGHT * priorMu) / (k + PRIOR_WEIGHT);
  const sigma = Math.max(MIN_SIGMA, Math.sqrt((squares + PRIOR_WEIGHT * PRIOR_SIGMA ** 2) / (Math.max(0, k - 1) + PRIOR_WEIGHT)));
  const recencyDays = Math.max(0, now - times[times.length - 1]!) / DAY_MS;
  const risk = recencyDays <= 0 ? 0 : normalCdf((Math.log(recencyDays) - mu) / sigma);
  return { risk: Math.round(risk * 1000) / 1000, typical_gap_days: Math.round(Math.exp(mu) * 10) / 10, gaps: k, days_since_last_order: Math.round(recencyDays * 10) / 10 };
}

/**
 * churnRisk for many shoppers at once, in SQL (the report's stage funnel): CTEs ending in
 * `churn_risk (visitor_id, risk)` over the orders of the visitors `visitors` selects (a subquery on
 * their ids; the statement binds ?1 to the site), their latest ORDER_TIMES_READ each, as at `now`.
 * The same arithmetic as churnRisk, rounded the same way; keep the two in step
 * (test/worker/churn.test.ts compares them on generated histories). `churn_risk` is materialized:
 * inlined into the funnel's join, its nested CTEs repeated z's arithmetic inside every term of the
 * erf polynomial (300,000 profiles, 60,000 buyers in node:sqlite: 5.0–5.5 s, materialized 1.6–1.7 s).
 */
export function churnRiskSql(visitors: string, now: number, repurchaseWindowDays: number): string {
  const day = `${DAY_MS}.0`;
  const kept = `gap >= ${MIN_GAP_MS}`;
  const poly = ERF_A.reduceRight((sum, a) => `(${sum}) * t + ${a}`, '0');
  return `churn_orders AS (
  SELECT visitor_id, ts, row_number() OVER (PARTITION BY visitor_id ORDER BY ts DESC) AS rn
  FROM orders WHERE site = ?1 AND visitor_id IN (${visitors})),
churn_gaps AS (
  SELECT visitor_id, ts, ts - lag(ts) OVER (PARTITION BY visitor_id ORDER BY ts) AS gap FROM churn_orders WHERE rn <= ${ORDER_TIMES_READ}),
churn_logs AS (
  SELECT visitor_id, max(ts) AS last, count(CASE WHEN ${kept} THEN 1 END) AS k,
         coalesce(sum(CASE WHEN ${kept} THEN ln(gap / ${day}) END), 0) AS s,
         coalesce(sum(CASE WHEN ${kept} THEN ln(gap / ${day}) * ln(gap / ${day}) END), 0) AS ss
  FROM churn_gaps GROUP BY visitor_id),
churn_z AS (
  SELECT visitor_id, CASE WHEN ${Math.round(now)} - last > 0 THEN
    (ln((${Math.round(now)} - last) / ${day}) - (s + ${PRIOR_WEIGHT} * ${priorMuOf(repurchaseWindowDays)}) / (k + ${PRIOR_WEIGHT}))
    / max(${MIN_SIGMA}, sqrt((CASE WHEN k > 0 THEN ss - s * s / k ELSE 0 END + ${PRIOR_WEIGHT * PRIOR_SIGMA ** 2}) / (max(0, k - 1) + ${PRIOR_WEIGHT})))
  END AS z FROM churn_logs),
churn_t AS (SELECT visitor_id, z, abs(z) / sqrt(2) AS x, 1 / (1 + ${ERF_P} * abs(z) / sqrt(2)) AS t FROM churn_z),
churn_erf AS (SELECT visitor_id, z, 1 - (${poly}) * t * exp(-x * x) AS erf FROM churn_t),
churn_risk AS MATERIALIZED (
  SELECT visitor_id, CASE WHEN z IS NULL THEN 0 ELSE round(CASE WHEN z >= 0 THEN (1 + erf) / 2 ELSE (1 - erf) / 2 END, 3) END AS risk
  FROM churn_erf)`;
}
