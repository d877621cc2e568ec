import { expect } from 'vitest';
import type { ReportT } from '../../edge/contract';
import { OPERATOR_TOKEN } from './helpers';
import { sendAt } from './shopper';

/** GET the site's report at `now` (the worker's clock), expecting 200. */
export async function report(site: string, query = '', now = Date.now()): Promise<ReportT> {
  const response = await sendAt(now, `/v1/admin/sites/${site}/report${query ? `?${query}` : ''}`, { headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` } });
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body as ReportT;
}

export const widgetOf = (r: ReportT, widget: string, variant = 'default') => {
  const found = r.campaigns.find((w) => w.campaign === widget && w.variant === variant);
  if (!found) throw new Error(`no ${widget}/${variant} in ${JSON.stringify(r.campaigns.map((w) => [w.campaign, w.variant]))}`);
  return found;
};
