-- What each attempt got back, as GetDeliveryStatus shows it: its number (1 on, counting across retries and
-- resends), the first 4096 bytes of the HTTP response body (cut there, never more) and whether there was more.
-- At most the last 50 attempts of a delivery are kept: store/attempts.cc prunes older ones as it adds one.
ALTER TABLE delivery_attempts
  ADD COLUMN attempt_number integer NOT NULL DEFAULT 0,
  ADD COLUMN response_body bytea NOT NULL DEFAULT '\x'::bytea CHECK (octet_length(response_body) <= 4096),
  ADD COLUMN response_truncated boolean NOT NULL DEFAULT false;
UPDATE delivery_attempts a SET attempt_number = n.number
  FROM (SELECT id, row_number() OVER (PARTITION BY delivery_id ORDER BY id) AS number FROM delivery_attempts) n
  WHERE a.id = n.id;

-- RecoverFailedDeliveries: a subscriber's dead letters and retries.
CREATE INDEX deliveries_by_subscriber ON deliveries (subscriber_id, state);
