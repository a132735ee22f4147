-- Webhook secret rotation (Standard Webhooks 1.0): RotateWebhookSecret moves the current secret here and a new one
-- into webhook_secret; until webhook_secret_previous_until passes, deliveries are signed with both (two entries in
-- webhook-signature), then with the new one only. '' and NULL: no rotation in progress.
ALTER TABLE subscribers
  ADD COLUMN webhook_secret_previous text NOT NULL DEFAULT '',
  ADD COLUMN webhook_secret_previous_until timestamptz;
