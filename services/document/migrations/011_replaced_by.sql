-- Who replaces a document (bị thay thế bởi), kept on its row instead of computed by every read: the correlated
-- aggregate over the replacements' GIN index was a quarter of PostgreSQL's CPU per GetDocument (its executor
-- set-up alone 19 %) and doubled a listed page's cost. replaced_by is "<id> <code>" of the first published
-- document replacing this one (the rule the reads computed until now: r lists d's code, is issued on or after d, and d is the
-- newest document with that code issued by then), or ''. Withdrawing a replacement restores the replaced.
--
-- The value of document d depends on the rows with d's code_key (d itself, and the newer ones that end d's
-- line) and on the published rows that list d's code_key among those they replace. So a written row X refreshes
-- the documents whose code_key is X's, old or new, or one X replaces while published (before or after). Not
-- indexed: the refresh of another row stays a HOT update.
ALTER TABLE documents ADD COLUMN replaced_by text NOT NULL DEFAULT '';

-- The value for the document (id, code_key, issue_date, seq), from the rows as this statement sees them.
CREATE FUNCTION documents_replaced_by(d_id uuid, d_code_key text, d_issue_date date, d_seq bigint) RETURNS text
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT COALESCE((SELECT (array_agg(r.id::text || ' ' || r.code ORDER BY r.issue_date, r.seq))[1]
                     FROM documents r
                    WHERE r.status = 2 AND r.replaces_keys @> ARRAY[d_code_key] AND r.id <> d_id
                      AND r.issue_date >= d_issue_date
                      AND NOT EXISTS (SELECT 1 FROM documents n
                                       WHERE n.code_key = d_code_key AND n.id <> r.id
                                         AND n.issue_date <= r.issue_date
                                         AND (n.issue_date, n.seq) > (d_issue_date, d_seq))), '')
$$;

-- Writers of one code key take turns (a transaction-scoped lock per key, in key order) so that each refresh
-- reads after the other's commit: under READ COMMITTED every statement below takes a new snapshot, so two
-- replacements of one document published at once both count.
CREATE FUNCTION documents_lock_codes(keys text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  k text;
BEGIN
  FOR k IN SELECT DISTINCT unnest(keys) ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(hashtext('documents.replaced_by'), hashtext(k));
  END LOOP;
END
$$;

-- The written row's own value, before it is stored: what INSERT … RETURNING and UPDATE … RETURNING return.
CREATE FUNCTION documents_own_replaced_by() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  PERFORM documents_lock_codes(ARRAY[NEW.code_key]);
  NEW.replaced_by := documents_replaced_by(NEW.id, NEW.code_key, NEW.issue_date, NEW.seq);
  RETURN NEW;
END
$$;
CREATE TRIGGER documents_own_replaced_by_insert BEFORE INSERT ON documents
  FOR EACH ROW EXECUTE FUNCTION documents_own_replaced_by();
CREATE TRIGGER documents_own_replaced_by_update BEFORE UPDATE ON documents
  FOR EACH ROW WHEN (OLD.code_key IS DISTINCT FROM NEW.code_key OR OLD.issue_date IS DISTINCT FROM NEW.issue_date
                     OR OLD.seq IS DISTINCT FROM NEW.seq)
  EXECUTE FUNCTION documents_own_replaced_by();

-- The other rows the write touches, after it (the written row is refreshed too when a write moved its line).
CREATE FUNCTION documents_refresh_replaced_by() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  keys text[] := '{}';
BEGIN
  IF TG_OP <> 'INSERT' THEN
    keys := keys || OLD.code_key || CASE WHEN OLD.status = 2 THEN OLD.replaces_keys ELSE '{}'::text[] END;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    keys := keys || NEW.code_key || CASE WHEN NEW.status = 2 THEN NEW.replaces_keys ELSE '{}'::text[] END;
  END IF;
  PERFORM documents_lock_codes(keys);
  UPDATE documents d SET replaced_by = v.replaced_by
    FROM (SELECT o.id, documents_replaced_by(o.id, o.code_key, o.issue_date, o.seq) AS replaced_by
            FROM documents o WHERE o.code_key = ANY(keys)) v
   WHERE d.id = v.id AND d.replaced_by <> v.replaced_by;
  RETURN NULL;
END
$$;
CREATE TRIGGER documents_refresh_replaced_by_insert_delete AFTER INSERT OR DELETE ON documents
  FOR EACH ROW EXECUTE FUNCTION documents_refresh_replaced_by();
CREATE TRIGGER documents_refresh_replaced_by_update AFTER UPDATE ON documents
  FOR EACH ROW WHEN (OLD.code_key IS DISTINCT FROM NEW.code_key OR OLD.code IS DISTINCT FROM NEW.code
                     OR OLD.issue_date IS DISTINCT FROM NEW.issue_date OR OLD.seq IS DISTINCT FROM NEW.seq
                     OR (OLD.status = 2) IS DISTINCT FROM (NEW.status = 2)
                     OR OLD.replaces_keys IS DISTINCT FROM NEW.replaces_keys)
  EXECUTE FUNCTION documents_refresh_replaced_by();

-- The rows already there.
UPDATE documents d SET replaced_by = v.replaced_by
  FROM (SELECT o.id, documents_replaced_by(o.id, o.code_key, o.issue_date, o.seq) AS replaced_by
          FROM documents o WHERE EXISTS (SELECT 1 FROM documents r WHERE r.status = 2
                                            AND r.replaces_keys @> ARRAY[o.code_key])) v
 WHERE d.id = v.id AND v.replaced_by <> '';
