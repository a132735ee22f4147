-- The change log of published documents' search rows (nhật ký thay đổi chỉ mục tra cứu): every replica keeps the
-- published documents' search index in memory (store/published_index_feed.h) and follows this log to keep it equal
-- to document_search. A row per insert, update or delete of a search row that is or was published, written by
-- trigger in the writing transaction; drafts write none. A truncate writes the nil uuid (load everything again).
-- The replicas delete rows older than an hour.
CREATE TABLE document_search_log (
  change    bigserial PRIMARY KEY,
  id        uuid NOT NULL,
  logged_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION document_search_logged() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    INSERT INTO document_search_log (id) VALUES ('00000000-0000-0000-0000-000000000000');
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO document_search_log (id) VALUES (OLD.id);
  ELSE
    INSERT INTO document_search_log (id) VALUES (NEW.id);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER document_search_log_insert AFTER INSERT ON document_search
  FOR EACH ROW WHEN (NEW.status = 2) EXECUTE FUNCTION document_search_logged();
CREATE TRIGGER document_search_log_update AFTER UPDATE ON document_search
  FOR EACH ROW WHEN (OLD.status = 2 OR NEW.status = 2) EXECUTE FUNCTION document_search_logged();
CREATE TRIGGER document_search_log_delete AFTER DELETE ON document_search
  FOR EACH ROW WHEN (OLD.status = 2) EXECUTE FUNCTION document_search_logged();
CREATE TRIGGER document_search_log_truncate AFTER TRUNCATE ON document_search
  FOR EACH STATEMENT EXECUTE FUNCTION document_search_logged();
