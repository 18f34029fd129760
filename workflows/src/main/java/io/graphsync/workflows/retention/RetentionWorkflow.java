package io.graphsync.workflows.retention;

import io.graphsync.workflows.TaskQueues;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Deletes graphsync's own records older than their retention. Started by the {@code graphsync-retention} Schedule,
 * or on demand: {@code temporal workflow start --type RetentionWorkflow --task-queue sync-bulk --input
 * '{"findings":"PT720H","rejects":"PT720H","conflictAudit":"PT8760H"}'}.
 */
@WorkflowInterface
public interface RetentionWorkflow {

  String TYPE = "RetentionWorkflow";

  /** Housekeeping belongs on the bulk lane, away from live syncs. */
  String TASK_QUEUE = TaskQueues.SYNC_BULK;

  @WorkflowMethod(name = TYPE)
  RetentionSummary purge(RetentionPolicy policy);
}
