-- Lifecycle events (hiệu lực): DocumentBecameEffective, DocumentExpired and DocumentReplaced, each once.
--
-- The folded codes (the code_key form) a document replaces, so that reads find "bị thay thế bởi …" through an
-- index. Rows written before this migration get theirs from the service at start (LifecycleStore::Start):
-- the folding is the service's. Not touched by publishing, so publishing stays a HOT update.
ALTER TABLE documents ADD COLUMN replaces_keys text[] NOT NULL DEFAULT '{}';
CREATE INDEX documents_replaces_keys ON documents USING gin (replaces_keys);
-- The scheduler's window scans: documents taking effect or expiring around today.
CREATE INDEX documents_effective_date ON documents (effective_date) WHERE effective_date IS NOT NULL;
CREATE INDEX documents_expiry_date ON documents (expiry_date) WHERE expiry_date IS NOT NULL;

-- One row: the day (Asia/Ho_Chi_Minh) the feature first started — no announcement for a day before it — and
-- the day up to which every announcement was made (the scheduler scans from the day before it).
CREATE TABLE lifecycle_state (
  singleton         boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  first_start_day   date NOT NULL,
  caught_up_through date,
  started_at        timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Every announcement made, the claim that makes it once across replicas and restarts: whoever inserts the row
-- writes the event to the outbox in the same transaction; the other finds the row and writes nothing.
-- kind: 1 became effective, 2 expired (announced = the day, ISO: a date moved later is announced again on its
-- new day), 3 replaced (announced = '': a document is announced replaced once, at its first replacement).
CREATE TABLE lifecycle_events (
  document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  kind        smallint NOT NULL CHECK (kind BETWEEN 1 AND 3),
  announced   text NOT NULL,
  emitted_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (document_id, kind, announced)
);
