-- graphsync's own objects live in schema "graphsync".
CREATE SCHEMA IF NOT EXISTS graphsync;

-- Bumps pg_version (and marks the row PENDING) only when a business column changes. Writing the sync
-- bookkeeping columns alone (sync_status, sync_attempts, ...) leaves pg_version alone, so the write-back of a
-- sync never looks like a new change. A caller that sets pg_version itself (optimistic locking:
-- SET ..., pg_version = pg_version + 1 WHERE pg_version = $expected) keeps its value.
CREATE OR REPLACE FUNCTION graphsync.bump_pg_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  sync_columns text[] := ARRAY['pg_version', 'sync_status', 'sync_attempts', 'last_sync_error',
                               'last_sync_timestamp', 'neo4j_node_id'];
BEGIN
  IF (to_jsonb(NEW) - sync_columns) IS DISTINCT FROM (to_jsonb(OLD) - sync_columns) THEN
    IF NEW.pg_version IS NOT DISTINCT FROM OLD.pg_version THEN
      NEW.pg_version := OLD.pg_version + 1;
    END IF;
    NEW.sync_status := 'PENDING';
  END IF;
  RETURN NEW;
END;
$$;

-- Enables sync on a table, idempotently: the bookkeeping columns, the version trigger, and REPLICA IDENTITY
-- FULL (the capture needs complete before-images to tell business updates from bookkeeping ones, and to
-- delete by key). Usage on a user's own table: SELECT graphsync.enable_sync('public.my_table');
CREATE OR REPLACE FUNCTION graphsync.enable_sync(target regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s
      ADD COLUMN IF NOT EXISTS pg_version bigint NOT NULL DEFAULT 1,
      ADD COLUMN IF NOT EXISTS sync_status text NOT NULL DEFAULT ''PENDING''
          CHECK (sync_status IN (''PENDING'', ''SUCCESS'', ''FAILED'', ''RETRYING'', ''SKIPPED'')),
      ADD COLUMN IF NOT EXISTS sync_attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN IF NOT EXISTS last_sync_error text,
      ADD COLUMN IF NOT EXISTS last_sync_timestamp timestamptz,
      ADD COLUMN IF NOT EXISTS neo4j_node_id text', target);
  EXECUTE format('DROP TRIGGER IF EXISTS graphsync_bump_pg_version ON %s', target);
  EXECUTE format('CREATE TRIGGER graphsync_bump_pg_version BEFORE UPDATE ON %s
      FOR EACH ROW EXECUTE FUNCTION graphsync.bump_pg_version()', target);
  EXECUTE format('ALTER TABLE %s REPLICA IDENTITY FULL', target);
END;
$$;

-- Join tables carry no bookkeeping columns, but the capture still needs full before-images for deletes.
CREATE OR REPLACE FUNCTION graphsync.enable_join_sync(target regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s REPLICA IDENTITY FULL', target);
END;
$$;
