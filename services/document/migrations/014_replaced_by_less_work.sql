-- The replaced_by triggers (migration 011) did three times the work a create + publish pair needs (BENCHMARKS.md,
-- Writes): documents_replaced_by, a SQL function with a subquery, is never inlined and was parsed, planned and
-- started anew on every call; the refresh after a write recomputed the written row itself (its own value was just
-- computed before it was stored, and depends on other rows only); and it refreshed the rows of the written code
-- whenever the status changed, though a row's status matters to the others only as a replacement.
--
-- Same rule, same locks for the rows that change: the function is PL/pgSQL (its query planned once per session),
-- and the refresh takes the rows a write can change: those of the written code (old and new) when the write moves
-- the code's line (insert, delete, another code, issue date or seq), and those of the codes it replaces, while
-- published, when its part as a replacement changes (published or not, replaces, code, issue date, seq). Others:
-- none, no lock taken. A publish of a document that replaces nothing now touches no other row.
CREATE OR REPLACE FUNCTION documents_replaced_by(d_id uuid, d_code_key text, d_issue_date date, d_seq bigint)
RETURNS text LANGUAGE plpgsql STABLE SET search_path FROM CURRENT AS $$
BEGIN
  RETURN COALESCE((SELECT (array_agg(r.id::text || ' ' || r.code ORDER BY r.issue_date, r.seq))[1]
                     FROM documents r
                    WHERE r.status = 2 AND r.replaces_keys @> ARRAY[d_code_key] AND r.id <> d_id
                      AND r.issue_date >= d_issue_date
                      AND NOT EXISTS (SELECT 1 FROM documents n
                                       WHERE n.code_key = d_code_key AND n.id <> r.id
                                         AND n.issue_date <= r.issue_date
                                         AND (n.issue_date, n.seq) > (d_issue_date, d_seq))), '');
END
$$;

CREATE OR REPLACE FUNCTION documents_own_replaced_by() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('documents.replaced_by'), hashtext(NEW.code_key));
  NEW.replaced_by := documents_replaced_by(NEW.id, NEW.code_key, NEW.issue_date, NEW.seq);
  RETURN NEW;
END
$$;

-- Its update is planned once per session (plan_cache_mode): with the keys unknown the planner expected ten rows, each
-- with a function call, and so planned it anew on every call (0.26 ms; the run itself 0.02 ms).
CREATE OR REPLACE FUNCTION documents_refresh_replaced_by() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  keys text[] := '{}';
  line boolean := TG_OP <> 'UPDATE';
  replacing boolean := TG_OP <> 'UPDATE';
  written uuid;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    line := OLD.code_key IS DISTINCT FROM NEW.code_key OR OLD.issue_date IS DISTINCT FROM NEW.issue_date
            OR OLD.seq IS DISTINCT FROM NEW.seq;
    replacing := line OR OLD.code IS DISTINCT FROM NEW.code OR (OLD.status = 2) IS DISTINCT FROM (NEW.status = 2)
                 OR OLD.replaces_keys IS DISTINCT FROM NEW.replaces_keys;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    IF line THEN keys := keys || OLD.code_key; END IF;
    IF replacing AND OLD.status = 2 THEN keys := keys || OLD.replaces_keys; END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    written := NEW.id;  -- its own value: documents_own_replaced_by, or unchanged (it depends on other rows only)
    IF line THEN keys := keys || NEW.code_key; END IF;
    IF replacing AND NEW.status = 2 THEN keys := keys || NEW.replaces_keys; END IF;
  END IF;
  IF cardinality(keys) = 0 THEN
    RETURN NULL;
  END IF;
  -- documents_lock_codes(keys), in one statement: the keys' locks in key order.
  PERFORM pg_advisory_xact_lock(hashtext('documents.replaced_by'), hashtext(k))
     FROM (SELECT DISTINCT unnest(keys) AS k ORDER BY 1) s;
  UPDATE documents d SET replaced_by = v.replaced_by
    FROM (SELECT o.id, documents_replaced_by(o.id, o.code_key, o.issue_date, o.seq) AS replaced_by
            FROM documents o WHERE o.code_key = ANY(keys) AND o.id IS DISTINCT FROM written) v
   WHERE d.id = v.id AND d.replaced_by <> v.replaced_by;
  RETURN NULL;
END
$$;

-- A status change of a document that replaces nothing (nearly every publish and withdrawal) no longer calls the
-- refresh at all: its status matters to other rows only as a replacement.
DROP TRIGGER documents_refresh_replaced_by_update ON documents;
CREATE TRIGGER documents_refresh_replaced_by_update AFTER UPDATE ON documents
  FOR EACH ROW WHEN (OLD.code_key IS DISTINCT FROM NEW.code_key OR OLD.issue_date IS DISTINCT FROM NEW.issue_date
                     OR OLD.seq IS DISTINCT FROM NEW.seq
                     OR ((OLD.code IS DISTINCT FROM NEW.code OR (OLD.status = 2) IS DISTINCT FROM (NEW.status = 2)
                          OR OLD.replaces_keys IS DISTINCT FROM NEW.replaces_keys)
                         AND (cardinality(OLD.replaces_keys) > 0 OR cardinality(NEW.replaces_keys) > 0)))
  EXECUTE FUNCTION documents_refresh_replaced_by();
