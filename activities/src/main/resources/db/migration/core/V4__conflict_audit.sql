-- One row per decision about a conflict (ManualResolutionWorkflow): who decided what, on which revision of the
-- conflict, both sides as they were shown, and what was done. Written by the resolution activities; a retried
-- activity writes its row once (unique workflow id + first run id: one decision per workflow, across
-- continue-as-new; the same entity's next conflict is a new workflow run with its own first run id).
CREATE TABLE IF NOT EXISTS graphsync.conflict_audit (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workflow_id   text        NOT NULL,
  run_id        text        NOT NULL,
  entity_table  text        NOT NULL,
  entity_type   text        NOT NULL,
  entity_id     text        NOT NULL,
  tenant_id     text,
  kind          text,
  resolution    text        NOT NULL CHECK (resolution IN ('KEEP_POSTGRES', 'KEEP_NEO4J', 'DISMISS')),
  decided_by    text        NOT NULL,
  comment       text,
  revision      integer     NOT NULL,
  pg_version    bigint,
  neo4j_version bigint,
  postgres      jsonb,
  neo4j         jsonb,
  differences   jsonb,
  applied       boolean     NOT NULL,
  detail        text,
  decided_at    timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT conflict_audit_one_decision_per_workflow UNIQUE (workflow_id, run_id)
);

CREATE INDEX IF NOT EXISTS conflict_audit_entity ON graphsync.conflict_audit (entity_type, entity_id);
CREATE INDEX IF NOT EXISTS conflict_audit_decided_at ON graphsync.conflict_audit (decided_at);
