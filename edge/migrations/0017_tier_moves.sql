-- "Just moved up a tier" (the membership_tier touch point, issue 16): when the shop's server last
-- named a different tier than before, and whether the new one is the tier it had named as next.
ALTER TABLE profiles ADD COLUMN tier_changed_at INTEGER;
ALTER TABLE profiles ADD COLUMN tier_rose INTEGER;
