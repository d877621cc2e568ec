import { statementFor } from '../pipeline/guarded-statement';
import { BATCH_EVENTS, type StepStatements } from '../pipeline/batch';

/** The catalogue builds itself from the items shoppers' browsers report. An item's page URL is the
 * event's URL when a view_item names exactly one item. Fields an event leaves out keep their
 * value, an older event never overwrites a newer one, and uploaded rows are never touched. */
const UPSERT_FROM_EVENTS = `
INSERT INTO catalog (site, item_id, name, price, currency, image_url, url, category, brand, uploaded, updated_at)
SELECT :site, i.value ->> '$.item_id', i.value ->> '$.item_name', i.value ->> '$.price',
       COALESCE(i.value ->> '$.currency', e.props ->> '$.currency'), i.value ->> '$.image_url',
       COALESCE(i.value ->> '$.url', CASE WHEN e.name = 'view_item' AND json_array_length(e.props, '$.items') = 1 THEN e.url END),
       i.value ->> '$.item_category', i.value ->> '$.item_brand', 0, e.ts
FROM ${BATCH_EVENTS} e JOIN jsonb_each(e.props, '$.items') i
WHERE e.name IN ('view_item', 'view_item_list', 'add_to_cart')
  AND i.value ->> '$.item_id' IS NOT NULL AND {claimed}
ORDER BY e.ts
ON CONFLICT (site, item_id) DO UPDATE SET
  name = COALESCE(excluded.name, name),
  price = COALESCE(excluded.price, price),
  currency = COALESCE(excluded.currency, currency),
  image_url = COALESCE(excluded.image_url, image_url),
  url = COALESCE(excluded.url, url),
  category = COALESCE(excluded.category, category),
  brand = COALESCE(excluded.brand, brand),
  updated_at = excluded.updated_at
WHERE catalog.uploaded = 0 AND excluded.updated_at >= catalog.updated_at`;

export const catalogFromEvents: StepStatements = async (db, batch) =>
  [statementFor(db, batch, ['view_item', 'view_item_list', 'add_to_cart'], UPSERT_FROM_EVENTS)].filter((s): s is D1PreparedStatement => s !== null);
