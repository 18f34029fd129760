package io.graphsync.workflows.sync;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One workflow per committed change: applies it to the graph, then records the outcome in the source row. Its
 * id is derived from the change ({@link ChangeEvent#workflowId()}), so a replayed change never runs twice.
 *
 * <p>When the change cannot be applied (retries exhausted, or a non-retryable failure) the row is marked FAILED,
 * the {@code SyncStatus} search attribute becomes FAILED, and the workflow waits for an operator: {@link #retry()}
 * or {@link #skip(String)}. It closes by itself as SKIPPED when a newer change of the same entity reaches the graph,
 * and as failed when nobody decides within {@link SyncPolicy#decisionTimeout()}.
 */
@WorkflowInterface
public interface SyncChangeEventWorkflow {

  /** The workflow type name, for starters that start it untyped. */
  String TYPE = "SyncChangeEventWorkflow";

  /** Signal names, for the CLI and batch signals: {@code temporal workflow signal --name retry ...}. */
  String RETRY_SIGNAL = "retry";
  String SKIP_SIGNAL = "skip";
  String STATE_QUERY = "state";

  @WorkflowMethod(name = TYPE)
  SyncOutcome sync(ChangeEvent event);

  /**
   * Runs the sync again with the row as it is now in the source (re-read by key), so a fix made in PostgreSQL is
   * picked up; the order guard keeps a newer applied change from being overwritten. Acted on only while FAILED.
   */
  @SignalMethod(name = RETRY_SIGNAL)
  void retry();

  /** Gives the change up: the row is marked SKIPPED with the reason. Acted on only while FAILED. */
  @SignalMethod(name = SKIP_SIGNAL)
  void skip(String reason);

  @QueryMethod(name = STATE_QUERY)
  SyncState state();
}
