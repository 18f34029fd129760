package io.graphsync.workflows.reconcile;

/** What reconciliation did about a confirmed finding. */
public enum FindingAction {
  /** A {@code SyncChangeEventWorkflow} with {@code source=RECONCILIATION} was started (its id is recorded). */
  REPAIR_STARTED,
  /** Handed to a person: the entity's {@code ManualResolutionWorkflow} (its id is recorded). */
  ESCALATED,
  /** Only recorded: the request's {@link RepairPolicy} does not repair this kind. */
  REPORTED,
  /**
   * Only recorded, never repaired: the graph element was not synced from PostgreSQL (a placeholder, or created in the
   * graph), so deleting it could destroy data that PostgreSQL never had.
   */
  NOT_SYNCED,
  /**
   * A row missing in the graph, in a table with many of them in this run: loaded by one {@code BackfillWorkflow} of
   * the table (its id is recorded) instead of one repair per row.
   */
  BACKFILL_STARTED
}
