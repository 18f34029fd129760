-- Reconciliation hands a table with many missing rows to one BackfillWorkflow instead of one repair per row; such
-- findings are recorded with the action BACKFILL_STARTED and the backfill's workflow id.
ALTER TABLE graphsync.reconciliation_finding DROP CONSTRAINT IF EXISTS reconciliation_finding_action_check;
ALTER TABLE graphsync.reconciliation_finding ADD CONSTRAINT reconciliation_finding_action_check
  CHECK (action IN ('REPAIR_STARTED', 'ESCALATED', 'REPORTED', 'NOT_SYNCED', 'BACKFILL_STARTED'));
