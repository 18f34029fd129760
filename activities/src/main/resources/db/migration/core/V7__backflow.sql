-- The flow back from Neo4j (only the cases the mapping declares under `backflow:`).
--
-- graphsync.enable_backflow(table) adds to a synced table (entity or join table):
--   sync_origin       who made the last business write: 'neo4j:<neo4jVersion>' when graphsync's back-flow wrote the
--                     row from the graph, NULL when anyone else did (an UPDATE that does not set it clears it)
--   last_modified_at  when a business column last changed (kept by the trigger; NEO4J_WINS_IF_NEWER compares it
--                     with the node's neo4jModifiedAt)
-- The capture reads sync_origin: a change the back-flow wrote only stamps the graph, it never flows back again.
CREATE OR REPLACE FUNCTION graphsync.track_origin() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  own_columns text[] := ARRAY['pg_version', 'sync_status', 'sync_attempts', 'last_sync_error',
                              'last_sync_timestamp', 'neo4j_node_id', 'sync_origin', 'last_modified_at'];
BEGIN
  IF (to_jsonb(NEW) - own_columns) IS DISTINCT FROM (to_jsonb(OLD) - own_columns) THEN
    NEW.last_modified_at := clock_timestamp();
    IF NEW.sync_origin IS NOT DISTINCT FROM OLD.sync_origin THEN
      NEW.sync_origin := NULL;
    END IF;
  END IF;
  RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION graphsync.enable_backflow(target regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s
      ADD COLUMN IF NOT EXISTS sync_origin text,
      ADD COLUMN IF NOT EXISTS last_modified_at timestamptz NOT NULL DEFAULT clock_timestamp()', target);
  EXECUTE format('DROP TRIGGER IF EXISTS graphsync_track_origin ON %s', target);
  EXECUTE format('CREATE TRIGGER graphsync_track_origin BEFORE UPDATE ON %s
      FOR EACH ROW EXECUTE FUNCTION graphsync.track_origin()', target);
END;
$$;

-- Enforced optimistic locking (optional, per table): SELECT graphsync.enable_sync('public.my_table', true);
-- A business UPDATE that sets pg_version must set the version it read, i.e. the row's current one:
--   UPDATE my_table SET title = 'x', pg_version = 7 WHERE id = '…';   -- ok when the row is at 7 (it becomes 8)
--                                                                       -- ERROR 40001 when it is at 8 already
-- An UPDATE that does not set pg_version cannot be told from one that sets the current version, and passes.
-- The classic form (SET pg_version = pg_version + 1 WHERE pg_version = :read) keeps working: it never touches a row
-- that moved. enable_sync('t', false) removes the check again.
CREATE OR REPLACE FUNCTION graphsync.check_pg_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  sync_columns text[] := ARRAY['pg_version', 'sync_status', 'sync_attempts', 'last_sync_error',
                               'last_sync_timestamp', 'neo4j_node_id', 'sync_origin', 'last_modified_at'];
BEGIN
  IF NEW.pg_version IS DISTINCT FROM OLD.pg_version
     AND NEW.pg_version IS DISTINCT FROM OLD.pg_version + 1
     AND (to_jsonb(NEW) - sync_columns) IS DISTINCT FROM (to_jsonb(OLD) - sync_columns) THEN
    RAISE EXCEPTION 'stale pg_version: the UPDATE supplies %, the row is at %', NEW.pg_version, OLD.pg_version
      USING ERRCODE = 'serialization_failure',
            HINT = 'read the row again and retry with its current pg_version';
  END IF;
  RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION graphsync.enable_sync(target regclass, enforce_version boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM graphsync.enable_sync(target);
  -- named to fire before graphsync_bump_pg_version (triggers of one event fire in name order)
  EXECUTE format('DROP TRIGGER IF EXISTS graphsync_a_check_pg_version ON %s', target);
  IF enforce_version THEN
    EXECUTE format('CREATE TRIGGER graphsync_a_check_pg_version BEFORE UPDATE ON %s
        FOR EACH ROW EXECUTE FUNCTION graphsync.check_pg_version()', target);
  END IF;
END;
$$;
