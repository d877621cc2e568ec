-- Sent webhook deliveries leave D1 with the hot window (edge/archive/prune-state.ts): the cron
-- finds them by this index, oldest first, instead of walking the site's delivery log.
CREATE INDEX webhook_deliveries_sent ON webhook_deliveries (site, sent_at) WHERE state = 'sent';
