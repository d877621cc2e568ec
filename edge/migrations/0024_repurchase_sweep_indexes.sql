-- The repurchase_due hand-off sweep (each minute) read every purchased product of every member of
-- the site to compute when each was due. It now starts from the products that have a cycle and
-- reads, per product, the buyers whose last purchase falls in the minute's window.
CREATE INDEX product_views_bought_at ON product_views (site, item_id, purchased_at) WHERE purchased_at IS NOT NULL;
CREATE INDEX catalog_replenishing ON catalog (site, item_id) WHERE replenish_days IS NOT NULL;
