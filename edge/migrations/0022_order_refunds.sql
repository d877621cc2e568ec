-- Partial refunds of an order: how much of it has gone back so far. `refunded_at` is now set once
-- nothing is left (it was set by any refund, and the shopper's revenue lost the whole order then,
-- which is what `refunded = value` keeps for those orders).
ALTER TABLE orders ADD COLUMN refunded REAL NOT NULL DEFAULT 0;
UPDATE orders SET refunded = value WHERE refunded_at IS NOT NULL;
