-- Endpoint health (issue 26): a subscriber's webhook is its endpoint; a row here once it has failed, or been
-- disabled. A table of its own, not columns of subscribers: every write to subscribers takes the next
-- subscriptions version (migration 003), which would make the consumer match its events again after each attempt.
-- failing_since: the first failed attempt since the last success (NULL: healthy); unhealthy_since: when the
-- failures had spread over the configured span (the clock of the automatic disable starts then); disabled_at: the
-- endpoint takes no attempt (410, the receiver's `webhook-delivery: disable`, or failing for the configured time)
-- until EnableWebhook deletes the row; disabled_reason says why.
CREATE TABLE endpoint_health (
  subscriber_id    text PRIMARY KEY REFERENCES subscribers (id) ON DELETE CASCADE,
  failing_since    timestamptz,
  unhealthy_since  timestamptz,
  disabled_at      timestamptz,
  disabled_reason  text NOT NULL DEFAULT ''
);
CREATE INDEX endpoint_health_disabled ON endpoint_health (subscriber_id) WHERE disabled_at IS NOT NULL;
