-- The interested-product nudge reads a shopper's most viewed products not bought, however many
-- products they have looked at.
CREATE INDEX product_views_not_bought ON product_views (site, visitor_id, views) WHERE purchased_at IS NULL;
