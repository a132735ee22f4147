-- Versions (phiên bản), issue 29.
--
-- A document's current version is its row: content_version (1 as created), and who made it, when and with which
-- update mask (NULL author and time: the creation's, created_by and created_at). Every UpdateDocument copies the
-- row as it was into document_versions in its own transaction, then takes the next number. Publishing and
-- withdrawing make no version. Defaults only: no rewrite of the table, and inserts stay as they were.
ALTER TABLE documents ADD COLUMN content_version integer NOT NULL DEFAULT 1,
  ADD COLUMN content_changed text[] NOT NULL DEFAULT '{}',
  ADD COLUMN content_author text,
  ADD COLUMN content_at timestamptz;

-- The earlier versions: the document as it was (cchc.document.v1.Document without its body, attachments, counters
-- and today's validity, serialized) and its body apart, so that a listing of versions never reads a body. At most
-- --max-document-versions per document: past it the oldest but the first (as created) goes.
CREATE TABLE document_versions (
  document_id    uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  version        integer NOT NULL CHECK (version > 0),
  snapshot       bytea NOT NULL,
  body           text NOT NULL,
  changed_fields text[] NOT NULL,
  author         text NOT NULL,
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (document_id, version)
);

-- Attachments: an upload with the file name of one of the document's attachments — compared in NFC, lower case by
-- ICU's rules (the "und-x-icu" collation, whatever the database's locale) — is its next version. Only the latest
-- version of a file name is listed and counted (attachment_count, the cap); the earlier stay downloadable.
ALTER TABLE attachments ADD COLUMN file_key text,
  ADD COLUMN version integer NOT NULL DEFAULT 1,
  ADD COLUMN latest boolean NOT NULL DEFAULT true;
UPDATE attachments SET file_key = lower(normalize(file_name, NFC) COLLATE "und-x-icu");
-- Uploads of one file name made before versions existed become its versions, in upload order.
UPDATE attachments a SET version = n.version, latest = n.version = n.total
  FROM (SELECT id, row_number() OVER (PARTITION BY document_id, file_key ORDER BY created_at, id) AS version,
               count(*) OVER (PARTITION BY document_id, file_key) AS total FROM attachments) n
 WHERE a.id = n.id AND n.total > 1;
ALTER TABLE attachments ALTER COLUMN file_key SET NOT NULL;
ALTER TABLE attachments ADD CONSTRAINT attachments_version CHECK (version > 0);
-- One latest version per file name, even if two uploads raced past the document's row lock.
CREATE UNIQUE INDEX attachments_latest_file ON attachments (document_id, file_key) WHERE latest;
CREATE INDEX attachments_file_versions ON attachments (document_id, file_key, version);

-- attachment_count (migration 005) counts latest versions only.
CREATE OR REPLACE FUNCTION documents_count_attachments() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.latest THEN
    UPDATE documents SET attachment_count = attachment_count - 1 WHERE id = OLD.document_id;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.latest THEN
    UPDATE documents SET attachment_count = attachment_count + 1 WHERE id = NEW.document_id;
  END IF;
  RETURN NULL;
END
$$;
DROP TRIGGER attachments_count ON attachments;
CREATE TRIGGER attachments_count AFTER INSERT OR DELETE OR UPDATE OF document_id, latest ON attachments
  FOR EACH ROW EXECUTE FUNCTION documents_count_attachments();
UPDATE documents d SET attachment_count = a.n
  FROM (SELECT document_id, (count(*) FILTER (WHERE latest))::integer AS n FROM attachments GROUP BY document_id) a
 WHERE d.id = a.document_id AND d.attachment_count <> a.n;
