package io.graphsync.workflows.resolve;

/**
 * Where a conflict stands. OPEN, OVERDUE and RESOLVED are also the values of the {@code ConflictStatus} search
 * attribute ({@link io.graphsync.workflows.observability.SyncSearchAttributes#CONFLICT_STATUS}); APPLYING is only in
 * the query (a decision is being applied, for seconds).
 */
public enum ConflictStatus {
  /** Waiting for a person's decision. */
  OPEN,
  /** Still waiting, and the reminder timer ({@link ResolutionPolicy#remindAfter()}) has fired. */
  OVERDUE,
  /** A valid approval is being applied. */
  APPLYING,
  /** Decided and applied; the workflow has completed. */
  RESOLVED
}
