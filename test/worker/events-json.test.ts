import { describe, expect, it } from 'vitest';
import { eventsJsonFor, type PipelineBatch } from '../../edge/pipeline/batch';
import type { AcceptedEvent } from '../../edge/contract/accepted-event';

const event = (id: string, name: string, props: object): AcceptedEvent => ({
  id, name, ts: 1_800_000_000_000, client_ts: 1_800_000_000_000, anon_id: 'anon-1', user_id: null, session_id: 'sess-1', seq: 1,
  url: 'https://shop.example/p/1', props: JSON.stringify(props),
});
const batchOf = (events: AcceptedEvent[]): PipelineBatch => ({ id: 'b', site: 's', events, claimed: '1', claimParams: ['b', 't'], now: 0 });

const purchase = event('e1', 'purchase', {
  transaction_id: 'T-1', currency: 'KRW', value: 38000,
  items: [
    { item_id: 'sku-1', item_name: 'Linen shirt', item_category: 'shirts', price: 19000, quantity: 2, image_url: 'https://cdn.example/1.jpg', url: 'https://shop.example/p/1' },
    { item_name: 'Gift wrap', price: 0 },
  ],
});
const view = event('e2', 'view_item', { items: [{ item_id: 'sku-2', item_name: 'Wool scarf', price: 25000 }] });
const page = event('e3', 'page_view', { title: 'Home' });

describe('eventsJsonFor', () => {
  it("sends the events of the names asked for, props whole, without them, or only what the recommendation step reads ('items')", () => {
    const batch = batchOf([purchase, view, page]);
    const sent = (props: boolean | 'items') => JSON.parse(eventsJsonFor(batch, ['purchase', 'view_item'], { props })!) as AcceptedEvent[];
    expect(sent(true)).toEqual([purchase, view]);
    expect(sent(false).map((e) => e.props)).toEqual(['{}', '{}']);
    const items = sent('items');
    // Everything but props as stored; of props, the order id and each item's id, category and quantity.
    expect(items.map(({ props, ...rest }) => rest)).toEqual([purchase, view].map(({ props, ...rest }) => rest));
    expect(items.map((e) => JSON.parse(e.props))).toEqual([
      { transaction_id: 'T-1', items: [{ item_id: 'sku-1', item_category: 'shirts', quantity: 2 }, {}] },
      { items: [{ item_id: 'sku-2' }] },
    ]);
    expect(eventsJsonFor(batch, ['add_to_cart'], { props: 'items' })).toBeNull();
  });
});
