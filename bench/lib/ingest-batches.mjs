/** The events the ingest benchmarks send: 5,000 browsers, one in four events a product view (with
 * its item), the rest page views, each id new. `batch()` is one request's body for `site`;
 * `sent()` counts the events and the page views made so far. */
export function benchBatches(site, batchSize) {
  let seq = 0;
  let pageViews = 0;
  return {
    batch() {
      const now = Date.now();
      const events = [];
      for (let i = 0; i < batchSize; i++) {
        const n = seq++;
        const visitor = `anon-${String(n % 5000).padStart(6, '0')}`;
        const view = n % 4 === 0;
        if (!view) pageViews++;
        events.push({
          id: `bench-${n}-${Math.random().toString(36).slice(2, 10)}`,
          name: view ? 'view_item' : 'page_view',
          ts: now - 50,
          anon_id: visitor,
          session_id: `sess-${visitor}`,
          url: `https://shop.example/products/${n % 300}`,
          props: view ? { currency: 'KRW', value: 19000, items: [{ item_id: `sku-${n % 300}`, item_name: 'Linen shirt', price: 19000 }] } : { title: 'Products' },
        });
      }
      return JSON.stringify({ site, sent_at: now, events });
    },
    sent: () => ({ events: seq, pageViews }),
  };
}
