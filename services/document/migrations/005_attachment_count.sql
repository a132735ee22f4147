-- A document's read (doc_get, one keyed SELECT per GetDocument) no longer aggregates its attachments in a
-- correlated subquery: most documents have none, and the subquery's executor set-up (an aggregate over a bitmap
-- scan) cost more than the row itself. The row counts its attachments, kept by a trigger on every write of
-- attachments (a cascade from a deleted document finds no row to update); the store reads the attachments in a
-- second statement only when the count is not zero.
ALTER TABLE documents ADD COLUMN attachment_count integer NOT NULL DEFAULT 0;
UPDATE documents d SET attachment_count = a.n
  FROM (SELECT document_id, count(*)::integer AS n FROM attachments GROUP BY document_id) a
 WHERE d.id = a.document_id;
ALTER TABLE documents ADD CONSTRAINT documents_attachment_count CHECK (attachment_count >= 0);

CREATE FUNCTION documents_count_attachments() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE documents SET attachment_count = attachment_count + 1 WHERE id = NEW.document_id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE documents SET attachment_count = attachment_count - 1 WHERE id = OLD.document_id;
  ELSIF NEW.document_id IS DISTINCT FROM OLD.document_id THEN
    UPDATE documents SET attachment_count = attachment_count - 1 WHERE id = OLD.document_id;
    UPDATE documents SET attachment_count = attachment_count + 1 WHERE id = NEW.document_id;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER attachments_count AFTER INSERT OR DELETE OR UPDATE OF document_id ON attachments
  FOR EACH ROW EXECUTE FUNCTION documents_count_attachments();
