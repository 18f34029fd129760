package io.graphsync.workflows;

/**
 * The task queues (priority lanes). Each has its own worker pool in worker-app, so a bulk backfill never delays
 * critical syncs.
 */
public final class TaskQueues {

  /** Syncs that must not wait behind anything: the tables graphsync.capture.lanes routes here. */
  public static final String SYNC_CRITICAL = "sync-critical";

  /** The normal lane: most syncs, and the health check. */
  public static final String SYNC_DEFAULT = "sync-default";

  /** Backfills, grouped large transactions and backlogs, truncates, reconciliation and its repairs, retention. */
  public static final String SYNC_BULK = "sync-bulk";

  /**
   * The back-flow from Neo4j to PostgreSQL (the declared cases only): its poller and one workflow per graph change,
   * with few slots of their own, so it never takes the PostgreSQL → Neo4j lanes' share.
   */
  public static final String SYNC_NEO4J = "sync-neo4j";

  private TaskQueues() {}
}
