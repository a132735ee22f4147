-- A version of the subscriptions as a whole: every statement that writes subscriptions or subscribers takes
-- the next one, in its own transaction. The consumer keeps the subscriptions it read for an event type
-- while the version it read with them is current, and the statement that writes its notifications checks
-- that it still is (a changed version writes nothing, and the consumer reads them again). So a batch of
-- events matches against what the database holds, without reading the subscriptions for every batch.
CREATE TABLE subscriptions_version (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version   bigint NOT NULL
);
INSERT INTO subscriptions_version (version) VALUES (1);

-- Before the statement, so a writer takes the version's row before any subscriber's: the consumer holding
-- the version (BeforeCommit) while it inserts notifications, whose foreign key reads the subscriber's row,
-- then never waits for a writer that waits for it.
-- The schema's tables whatever the writer's search_path (a migration runs with the schema first in it).
CREATE FUNCTION next_subscriptions_version() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE subscriptions_version SET version = version + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER subscriptions_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON subscriptions
  FOR EACH STATEMENT EXECUTE FUNCTION next_subscriptions_version();
CREATE TRIGGER subscribers_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON subscribers
  FOR EACH STATEMENT EXECUTE FUNCTION next_subscriptions_version();
