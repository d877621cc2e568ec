-- Personal recommendations read a favourite category's newest products down this index and stop
-- at the shelf's count; (site, category) alone made them read and sort the whole category.
DROP INDEX IF EXISTS catalog_by_category;
CREATE INDEX IF NOT EXISTS catalog_by_category_newest ON catalog (site, category, updated_at);
