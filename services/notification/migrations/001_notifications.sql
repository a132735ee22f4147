-- The notification service (thông báo): subscribers, their subscriptions, the inbox, and the delivery queue
-- with every attempt. Text columns hold NFC; filters are stored folded (what matching compares).
CREATE TABLE subscribers (
  id              text PRIMARY KEY,               -- external id, e.g. "TCCB"
  display_name    text NOT NULL,                  -- tên hiển thị
  kind            smallint NOT NULL,              -- SubscriberKind
  unit            text NOT NULL,                  -- the principal owning the inbox
  email           text NOT NULL DEFAULT '',
  webhook_url     text NOT NULL DEFAULT '',
  webhook_secret  text NOT NULL DEFAULT '',
  quiet_start     smallint,                       -- minutes after local midnight; NULL: no quiet hours
  quiet_end       smallint,
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE subscriptions (
  id             uuid PRIMARY KEY,
  subscriber_id  text NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  event_type     text NOT NULL,
  filter         jsonb NOT NULL,                  -- {"fields": [folded…], "type_codes": […], …}
  channels       jsonb NOT NULL,                  -- [{"channel": 2, "mode": 1, "digest_minute": 480}, …]
  created_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX subscriptions_by_type ON subscriptions (event_type);
CREATE INDEX subscriptions_by_subscriber ON subscriptions (subscriber_id);

-- One row per (subscriber, event): a redelivered event never makes two. cursor orders Watch; rows are
-- inserted under a transaction-level advisory lock so cursors become visible in increasing order.
CREATE TABLE notifications (
  cursor         bigserial PRIMARY KEY,
  subscriber_id  text NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  event_source   text NOT NULL,
  event_id       text NOT NULL,
  event_type     text NOT NULL,
  event_time     timestamptz NOT NULL,
  subject        text NOT NULL,
  title          text NOT NULL,
  link           text NOT NULL,
  data_json      text NOT NULL,
  read_at        timestamptz,
  created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (subscriber_id, event_source, event_id)
);
CREATE INDEX notifications_inbox ON notifications (subscriber_id, cursor);
CREATE INDEX notifications_unread ON notifications (subscriber_id, cursor) WHERE read_at IS NULL;

-- The delivery queue (outbox-like): written in the notification's transaction, claimed by workers with
-- FOR UPDATE SKIP LOCKED. A daily digest is one row per (subscriber, channel, local day).
CREATE TABLE deliveries (
  id               uuid PRIMARY KEY,
  subscriber_id    text NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  notification     bigint REFERENCES notifications (cursor) ON DELETE CASCADE,  -- NULL for a digest
  channel          smallint NOT NULL,             -- Channel
  state            smallint NOT NULL DEFAULT 1,   -- 1 pending, 2 delivered, 3 dead letter
  due_at           timestamptz NOT NULL,
  attempt_count    integer NOT NULL DEFAULT 0,
  attempt_budget   integer NOT NULL,              -- attempts allowed before the dead letter
  last_error       text NOT NULL DEFAULT '',
  digest_day       date,                          -- local day of a digest
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at      timestamptz
);
CREATE INDEX deliveries_due ON deliveries (due_at) WHERE state = 1;
CREATE INDEX deliveries_dead ON deliveries (finished_at DESC, id) WHERE state = 3;
CREATE INDEX deliveries_by_notification ON deliveries (notification);
CREATE UNIQUE INDEX deliveries_one_digest_a_day ON deliveries (subscriber_id, channel, digest_day)
  WHERE digest_day IS NOT NULL;

-- The notifications a digest delivery gathers.
CREATE TABLE digest_items (
  delivery_id   uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  notification  bigint NOT NULL REFERENCES notifications (cursor) ON DELETE CASCADE,
  PRIMARY KEY (delivery_id, notification)
);

CREATE TABLE delivery_attempts (
  id           bigserial PRIMARY KEY,
  delivery_id  uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  at           timestamptz NOT NULL DEFAULT clock_timestamp(),
  channel      smallint NOT NULL,
  outcome      text NOT NULL,                     -- delivered, retry, dead_letter
  status_code  integer NOT NULL,                  -- HTTP status or SMTP reply; 0 when none
  error        text NOT NULL,
  duration_ms  bigint NOT NULL
);
CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts (delivery_id, id);
