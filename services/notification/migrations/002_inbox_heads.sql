-- The inbox lock, and what it guarantees a Watch stream. Notifications are inserted under this
-- transaction-level lock, so they commit one transaction after another in cursor order. The function takes
-- the lock, then reads each subscriber's last cursor in a fresh snapshot (a VOLATILE function takes one for
-- each statement in it), which sees every notification committed before the lock was granted. The rows
-- the caller inserts next come straight after those: a stream that has written a subscriber's rows up to
-- that head can write the new ones as they are, without asking the database what it missed.
CREATE FUNCTION inbox_lock_and_heads(subscriber_ids text[])
RETURNS TABLE (subscriber_id text, head bigint)
LANGUAGE plpgsql VOLATILE SET search_path FROM CURRENT AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('cchc_notification_inbox'));
  RETURN QUERY
    SELECT s.id, COALESCE((SELECT max(n.cursor) FROM notifications n WHERE n.subscriber_id = s.id), 0)
    FROM unnest(subscriber_ids) AS s(id);
END
$$;
