-- Delivery leases: a worker claims a due delivery in a short transaction by setting lease_until (longer than
-- an attempt's time-out) and a fresh claim_token, commits, attempts with no transaction open, and records the
-- outcome only while claim_token is still its own. A row whose lease has passed is claimable again.
ALTER TABLE deliveries ADD COLUMN lease_until timestamptz, ADD COLUMN claim_token uuid;
