package io.graphsync.workflows;

/**
 * The task queues (priority lanes). Each has its own worker pool in worker-app, so a bulk backfill never delays
 * critical syncs.
 */
public final class TaskQueues {

  /** Syncs that must not wait behind anything (routed by rule). */
  public static final String SYNC_CRITICAL = "sync-critical";

  /** The normal lane: most syncs, and the health check. */
  public static final String SYNC_DEFAULT = "sync-default";

  /** Backfills, large transactions, reconciliation repairs. */
  public static final String SYNC_BULK = "sync-bulk";

  private TaskQueues() {}
}
