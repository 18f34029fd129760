-- Reconciliation (ReconciliationWorkflow): one row per run, one row per confirmed finding with what was done about
-- it. Candidates that a sync in flight explains (they changed during the grace period) are not stored.
CREATE TABLE IF NOT EXISTS graphsync.reconciliation_run (
  id               bigserial PRIMARY KEY,
  workflow_id      text NOT NULL,
  temporal_run_id  text NOT NULL,
  tables           text[] NOT NULL,
  tenant_id        text,
  status           text NOT NULL DEFAULT 'RUNNING' CHECK (status IN ('RUNNING', 'FINISHED')),
  started_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  summary          jsonb,
  UNIQUE (workflow_id, temporal_run_id)
);

CREATE TABLE IF NOT EXISTS graphsync.reconciliation_finding (
  id               bigserial PRIMARY KEY,
  run_id           bigint NOT NULL REFERENCES graphsync.reconciliation_run (id) ON DELETE CASCADE,
  finding_type     text NOT NULL CHECK (finding_type IN ('MISSING_IN_NEO4J', 'ORPHAN_IN_NEO4J', 'STALE_VERSION',
                                                         'ATTRIBUTE_MISMATCH', 'RELATIONSHIP_MISMATCH')),
  table_name       text NOT NULL,
  entity_type      text NOT NULL,
  entity_id        text NOT NULL,
  tenant_id        text,
  -- versions, positions, hashes, the differing properties and relationships (see docs/reconciliation.md)
  detail           jsonb NOT NULL,
  action           text NOT NULL CHECK (action IN ('REPAIR_STARTED', 'ESCALATED', 'REPORTED', 'NOT_SYNCED')),
  -- the SyncChangeEventWorkflow started to repair it, or the ManualResolutionWorkflow it was escalated to
  workflow_id      text,
  repair_position  bigint,
  found_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (run_id, table_name, entity_id)
);

CREATE INDEX IF NOT EXISTS reconciliation_finding_entity ON graphsync.reconciliation_finding (table_name, entity_id);
CREATE INDEX IF NOT EXISTS reconciliation_finding_tenant ON graphsync.reconciliation_finding (tenant_id, found_at);
