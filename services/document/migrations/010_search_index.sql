-- The search index (chỉ mục tra cứu): a narrow copy of what SearchDocuments reads to find its candidates — the
-- search vector, the newest-first key and the filter columns (store/search.cc) — apart from the wide row.
-- documents averages ~1.5 KB a row, 3–4 rows a page, in no useful order; searching it meant one heap page per
-- matching row (BENCHMARKS.md, Search). Here a row is ~850 bytes (mostly the vector) and the table is written
-- newest first, so the newest matches of a broad query sit on a few neighbouring pages; only the page's 20
-- documents are then read from documents.
--
-- Kept by triggers on documents, so in the same transaction as every write of a document, whichever statement
-- makes it. Publishing and withdrawing change the status only: no index here covers it, so with the free space
-- below the copy's update stays a heap-only (HOT) one, as documents' own does (002).
CREATE TABLE document_search (
  id             uuid PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
  issue_date     date NOT NULL,
  seq            bigint NOT NULL,
  status         smallint NOT NULL,
  created_by     text NOT NULL,
  type_key       text NOT NULL,
  issuer_key     text NOT NULL,
  signer_key     text NOT NULL,
  field_keys     text[] NOT NULL,
  effective_date date,
  expiry_date    date,
  code_form      smallint NOT NULL,
  code_key       text NOT NULL,
  search_vector  tsvector NOT NULL
) WITH (fillfactor = 90, parallel_workers = 0);
-- (No parallel scans: search's later ways are one-time filters, and a Gather starts its workers before the filter
-- says the way is not needed — 25 ms of process start-up for nothing on a busy machine.)

-- The backfill, newest first (the order the walk reads).
INSERT INTO document_search
SELECT id, issue_date, seq, status, created_by, type_key, issuer_key, signer_key, field_keys, effective_date,
       expiry_date, code_form, code_key, search_vector
  FROM documents ORDER BY issue_date DESC, seq DESC;
CREATE INDEX document_search_newest ON document_search (issue_date DESC, seq DESC);
CREATE INDEX document_search_vector ON document_search USING gin (search_vector);
-- Search no longer reads documents' own vector through an index: one GIN index to keep per write, not two.
DROP INDEX documents_search;

CREATE FUNCTION documents_copy_to_search() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO document_search VALUES (NEW.id, NEW.issue_date, NEW.seq, NEW.status, NEW.created_by, NEW.type_key,
      NEW.issuer_key, NEW.signer_key, NEW.field_keys, NEW.effective_date, NEW.expiry_date, NEW.code_form,
      NEW.code_key, NEW.search_vector);
  ELSE
    UPDATE document_search SET (issue_date, seq, status, created_by, type_key, issuer_key, signer_key, field_keys,
      effective_date, expiry_date, code_form, code_key, search_vector) = (NEW.issue_date, NEW.seq, NEW.status,
      NEW.created_by, NEW.type_key, NEW.issuer_key, NEW.signer_key, NEW.field_keys, NEW.effective_date,
      NEW.expiry_date, NEW.code_form, NEW.code_key, NEW.search_vector)
     WHERE id = NEW.id;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER documents_search_insert AFTER INSERT ON documents
  FOR EACH ROW EXECUTE FUNCTION documents_copy_to_search();
-- Only when a copied column changes (views, downloads, attachment counts, versions do not touch the copy).
CREATE TRIGGER documents_search_update AFTER UPDATE OF issue_date, seq, status, created_by, type_key, issuer_key,
    signer_key, field_keys, effective_date, expiry_date, code_form, code_key, search_vector ON documents
  FOR EACH ROW WHEN ((OLD.issue_date, OLD.seq, OLD.status, OLD.created_by, OLD.type_key, OLD.issuer_key,
    OLD.signer_key, OLD.field_keys, OLD.effective_date, OLD.expiry_date, OLD.code_form, OLD.code_key,
    OLD.search_vector) IS DISTINCT FROM (NEW.issue_date, NEW.seq, NEW.status, NEW.created_by, NEW.type_key,
    NEW.issuer_key, NEW.signer_key, NEW.field_keys, NEW.effective_date, NEW.expiry_date, NEW.code_form,
    NEW.code_key, NEW.search_vector))
  EXECUTE FUNCTION documents_copy_to_search();
-- (A deleted document's copy goes with it: ON DELETE CASCADE.)
ANALYZE document_search;
