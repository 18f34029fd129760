package io.graphsync.workflows.reconcile;

import io.graphsync.workflows.TaskQueues;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Compares PostgreSQL with the graph, table by table in key-ordered pages, confirms each difference after a grace
 * period, repairs the simple ones with ordinary sync workflows ({@code source=RECONCILIATION}), escalates
 * same-version conflicts to a person, and records every finding in {@code graphsync.reconciliation_finding}.
 * Started by a Temporal Schedule, or on demand:
 * {@code temporal workflow start --type ReconciliationWorkflow --task-queue sync-bulk --input '{"tables":["users"]}'}.
 */
@WorkflowInterface
public interface ReconciliationWorkflow {

  String TYPE = "ReconciliationWorkflow";

  /** Its lane: long scans and repairs never hold up the syncs of {@link TaskQueues#SYNC_DEFAULT}. */
  String TASK_QUEUE = TaskQueues.SYNC_BULK;
  String PROGRESS_QUERY = "progress";

  @WorkflowMethod(name = TYPE)
  ReconciliationSummary reconcile(ReconciliationRequest request);

  @QueryMethod(name = PROGRESS_QUERY)
  ReconciliationProgress progress();
}
