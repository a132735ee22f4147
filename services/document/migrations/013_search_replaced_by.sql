-- The search index (010) copies the filter columns of documents; the validity filters read replaced_by (011: kept on
-- the row instead of computed by each read), so the copy carries it too.
ALTER TABLE document_search ADD COLUMN replaced_by text NOT NULL DEFAULT '';
UPDATE document_search s SET replaced_by = d.replaced_by FROM documents d WHERE d.id = s.id AND d.replaced_by <> '';

DROP TRIGGER documents_search_insert ON documents;
DROP TRIGGER documents_search_update ON documents;
DROP FUNCTION documents_copy_to_search();

CREATE FUNCTION documents_copy_to_search() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO document_search (id, issue_date, seq, status, created_by, type_key, issuer_key, signer_key, field_keys,
      effective_date, expiry_date, code_form, code_key, search_vector, replaced_by)
    VALUES (NEW.id, NEW.issue_date, NEW.seq, NEW.status, NEW.created_by, NEW.type_key, NEW.issuer_key, NEW.signer_key,
      NEW.field_keys, NEW.effective_date, NEW.expiry_date, NEW.code_form, NEW.code_key, NEW.search_vector,
      NEW.replaced_by);
  ELSE
    UPDATE document_search SET (issue_date, seq, status, created_by, type_key, issuer_key, signer_key, field_keys,
      effective_date, expiry_date, code_form, code_key, search_vector, replaced_by) = (NEW.issue_date, NEW.seq,
      NEW.status, NEW.created_by, NEW.type_key, NEW.issuer_key, NEW.signer_key, NEW.field_keys, NEW.effective_date,
      NEW.expiry_date, NEW.code_form, NEW.code_key, NEW.search_vector, NEW.replaced_by)
     WHERE id = NEW.id;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER documents_search_insert AFTER INSERT ON documents
  FOR EACH ROW EXECUTE FUNCTION documents_copy_to_search();
-- Only when a copied column changes (views, downloads, attachment counts, versions do not touch the copy); the
-- replaced_by refresh of other rows (011) does.
CREATE TRIGGER documents_search_update AFTER UPDATE OF issue_date, seq, status, created_by, type_key, issuer_key,
    signer_key, field_keys, effective_date, expiry_date, code_form, code_key, search_vector, replaced_by ON documents
  FOR EACH ROW WHEN ((OLD.issue_date, OLD.seq, OLD.status, OLD.created_by, OLD.type_key, OLD.issuer_key,
    OLD.signer_key, OLD.field_keys, OLD.effective_date, OLD.expiry_date, OLD.code_form, OLD.code_key,
    OLD.search_vector, OLD.replaced_by) IS DISTINCT FROM (NEW.issue_date, NEW.seq, NEW.status, NEW.created_by,
    NEW.type_key, NEW.issuer_key, NEW.signer_key, NEW.field_keys, NEW.effective_date, NEW.expiry_date, NEW.code_form,
    NEW.code_key, NEW.search_vector, NEW.replaced_by))
  EXECUTE FUNCTION documents_copy_to_search();
