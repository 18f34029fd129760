-- graphsync's least-privilege PostgreSQL roles (docs/security.md). Run it connected to graphsync's database, as a
-- superuser (PostgreSQL 15 lets only superusers create a role with REPLICATION); it is idempotent. It sets no
-- passwords: set them afterwards, e.g. in psql \password graphsync_runtime, or ALTER ROLE ... PASSWORD '...'.
--
--   graphsync_migrate  runs the migrations at start and owns what they create: schema graphsync and its tables and
--                      functions, and (with the sample schema, or your own migrations) the synced tables. As the
--                      owner it grants the other two their object privileges, from the mapping (worker-app does it
--                      at every start, see RoleGrants).
--   graphsync_capture  REPLICATION; SELECT on the mapped tables; its offsets and rejects. NOINHERIT member of
--                      graphsync_migrate: only PostgreSQL's table owners may add tables to a publication, so the
--                      capture switches to that role (SET ROLE) on the one connection that keeps its publication.
--   graphsync_runtime  the activities: SELECT; UPDATE of the bookkeeping columns; UPDATE of mapped business
--                      columns only of the tables named in graphsync.postgres.runtime-writable-tables.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'graphsync_migrate') THEN
    CREATE ROLE graphsync_migrate LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'graphsync_capture') THEN
    CREATE ROLE graphsync_capture LOGIN REPLICATION NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'graphsync_runtime') THEN
    CREATE ROLE graphsync_runtime LOGIN;
  END IF;
  ALTER ROLE graphsync_migrate LOGIN NOREPLICATION NOSUPERUSER NOCREATEROLE NOCREATEDB;
  ALTER ROLE graphsync_capture LOGIN REPLICATION NOINHERIT NOSUPERUSER NOCREATEROLE NOCREATEDB;
  ALTER ROLE graphsync_runtime LOGIN NOREPLICATION NOSUPERUSER NOCREATEROLE NOCREATEDB;
  -- CONNECT for all three; CREATE (schema graphsync, the publication) for the migrating role only
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO graphsync_migrate, graphsync_capture, graphsync_runtime',
                 current_database());
  EXECUTE format('GRANT CREATE ON DATABASE %I TO graphsync_migrate', current_database());
END
$$;

-- the sample tables (and unqualified mapped tables) live in schema public
GRANT USAGE, CREATE ON SCHEMA public TO graphsync_migrate;
GRANT USAGE ON SCHEMA public TO graphsync_capture, graphsync_runtime;

-- the publication: the capture acts as the tables' owner for it, and only after SET ROLE (NOINHERIT)
GRANT graphsync_migrate TO graphsync_capture;
