package io.graphsync.workflows.reconcile;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** Compares PostgreSQL with the graph and records what reconciliation found. */
@ActivityInterface
public interface ReconciliationActivities {

  /**
   * Records a run ({@code graphsync.reconciliation_run}) and resolves its tables. Idempotent per
   * {@code (workflowId, temporalRunId)}. An unknown table fails non-retryably ({@code UnmappedTable}).
   *
   * @param tables the requested tables; empty: every mapped entity table, then every join table
   */
  @ActivityMethod
  ReconciliationRun beginRun(String workflowId, String temporalRunId, List<String> tables, String tenantId);

  /**
   * Compares up to {@code maxPages} key-ordered pages of one table: each page reads the rows in one REPEATABLE READ
   * snapshot of PostgreSQL and the graph elements of the same key range, and classifies every key. Heartbeats the
   * cursor (with the candidates so far) after each page and, on a retry, resumes from the last heartbeat.
   */
  @ActivityMethod
  ComparisonResult compare(ComparisonRequest request);

  /**
   * Compares exactly these entities again (one PostgreSQL snapshot, whose WAL position it returns) and confirms the
   * candidates that still differ the same way, with their details; a confirmed finding whose entity has an earlier
   * repair of the same row version that has not reached the graph carries it as {@link Finding#pendingRepair()}.
   */
  @ActivityMethod
  RecheckResult recheck(List<Finding> candidates);

  /** Stores confirmed findings with their actions; idempotent (one row per run, table and entity). */
  @ActivityMethod
  void recordFindings(long runId, List<RecordedFinding> findings);

  /** Marks the run finished with its summary. */
  @ActivityMethod
  void finishRun(long runId, ReconciliationSummary summary);
}
