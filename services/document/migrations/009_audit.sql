-- The audit trail (nhật ký): who did what to which document, when. Append-only: the database refuses every UPDATE,
-- every TRUNCATE, and every DELETE except the retention purge's (audit_purge below, which alone sets the
-- transaction-local cchc.audit_purge_before and deletes only rows older than it). The writes that change a document
-- append their row in the same statement or transaction as the change; draft reads and downloads in their own.
-- action: 1 create, 2 update, 3 publish, 4 withdraw, 5 delete, 6 read a draft, 7 download an attachment
-- (cchc.document.v1.AuditAction). principal: the token's unit code; principal_roles: its roles — never the token.
CREATE TABLE audit_events (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT clock_timestamp(),
  principal       text NOT NULL,
  principal_roles text NOT NULL,
  action          smallint NOT NULL CHECK (action BETWEEN 1 AND 7),
  resource        text NOT NULL,
  document_id     uuid NOT NULL,  -- no foreign key: a deleted document's trail stays
  changed_fields  text[] NOT NULL DEFAULT '{}',
  details         text NOT NULL DEFAULT '' CHECK (char_length(details) <= 500)
);
-- ListAuditEvents: newest first, overall and per document, per principal; the purge: the oldest first.
CREATE INDEX audit_events_newest ON audit_events (at DESC, id DESC);
CREATE INDEX audit_events_document ON audit_events (document_id, at DESC, id DESC);
CREATE INDEX audit_events_principal ON audit_events (principal, at DESC, id DESC);

CREATE FUNCTION audit_events_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.at < NULLIF(current_setting('cchc.audit_purge_before', true), '')::timestamptz THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: rows leave only by audit_purge (retention)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse();

-- The retention purge: deletes at most max_rows of the oldest rows older than `before`; returns how many.
-- The setting it takes is local to its transaction, and an empty string (unset) everywhere else.
CREATE FUNCTION audit_purge(before timestamptz, max_rows integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  n integer;
BEGIN
  PERFORM set_config('cchc.audit_purge_before', before::text, true);
  DELETE FROM audit_events WHERE id IN (
    SELECT id FROM audit_events WHERE at < before ORDER BY at, id LIMIT max_rows);
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('cchc.audit_purge_before', '', true);
  RETURN n;
END;
$$;
