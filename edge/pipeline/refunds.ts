import { BATCH_EVENTS } from './batch';

/** What a refund takes back, one meaning for every table that keeps an order's value (the shopper's
 * revenue and the order itself, the campaigns' and the control group's credits): its `value`, else
 * the sum of its items, else (neither given) the whole order. Several refunds of one order add up;
 * a whole-order one takes the rest; none takes more than the order had left. */
const REFUND_AMOUNT = `coalesce(e.props ->> '$.value', (SELECT CASE WHEN count(*) > 0 THEN total(coalesce(j.value ->> '$.price', 0) * coalesce(j.value ->> '$.quantity', 1)) END FROM jsonb_each(e.props, '$.items') j))`;

/** CTE `rf`: the batch's refunds per order — `tx`, `ts` (the latest), `amount` (NULL: the rest of the order). */
export const REFUNDS = `
rf AS MATERIALIZED (
  SELECT tx, max(ts) AS ts, CASE WHEN sum(amount IS NULL) > 0 THEN NULL ELSE total(amount) END AS amount
  FROM (SELECT e.props ->> '$.transaction_id' AS tx, e.ts, ${REFUND_AMOUNT} AS amount
        FROM ${BATCH_EVENTS} e WHERE e.name = 'refund' AND {claimed}) GROUP BY 1)`;

/** What the refund `rf` gives back of a row `c` worth `c.value` of which `c.refunded` went back already. */
export const REFUND_TAKE = (c: string) => `max(0, CASE WHEN rf.amount IS NULL THEN ${c}.value - ${c}.refunded ELSE min(rf.amount, ${c}.value - ${c}.refunded) END)`;

/** Whether a row is wholly taken back once `take` more is (floating sums of parts may fall a hair short). */
export const WHOLLY_REFUNDED = (c: string, take: string) => `${c}.refunded + ${take} >= ${c}.value - 1e-9`;
