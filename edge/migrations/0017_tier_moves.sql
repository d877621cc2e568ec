-- "Just moved up a tier" (the membership_tier touch point, issue 16): when the shop's server last
-- named a different tier than before, and whether the new one is the tier it had named as next.
ALTER TABLE profiles ADD COLUMN tier_changed_at INTEGER;
ALTER TABLE profiles ADD COLUMN tier_rose INTEGER;
-- The shop's own stamp count for a member (`stamps_updated`), and when its server sent it.
ALTER TABLE profiles ADD COLUMN stamps INTEGER;
ALTER TABLE profiles ADD COLUMN stamps_updated_at INTEGER;
