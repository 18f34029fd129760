package io.graphsync.workflows.bulk;

import io.graphsync.workflows.TaskQueues;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Loads the existing rows of mapped tables into the graph: all of them, one table, one tenant, or a key range. The
 * first step after enabling sync on a table that already holds data, and the way to re-sync a slice on demand:
 * {@code temporal workflow start --type BackfillWorkflow --task-queue sync-bulk --workflow-id backfill/users
 * --input '{"tables":["users"]}'}. Resumable, idempotent on rerun; progress by the {@code progress} query and, in
 * the Web UI, in the workflow's current details (percent done).
 */
@WorkflowInterface
public interface BackfillWorkflow {

  String TYPE = "BackfillWorkflow";

  /** Its lane: a bulk load never holds up the per-change syncs of {@link TaskQueues#SYNC_DEFAULT}. */
  String TASK_QUEUE = TaskQueues.SYNC_BULK;
  String PROGRESS_QUERY = "progress";

  @WorkflowMethod(name = TYPE)
  BackfillSummary backfill(BackfillRequest request);

  @QueryMethod(name = PROGRESS_QUERY)
  BackfillProgress progress();
}
