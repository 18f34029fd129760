package io.graphsync.workflows.bulk;

import io.graphsync.workflows.TaskQueues;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Syncs a batch of captured changes (a large transaction, or a backlog such as the catch-up after an outage) with one
 * graph write and one write-back, on {@code sync-bulk}. Changes that fail for good are split out into their own
 * {@code SyncChangeEventWorkflow} (same id scheme as every sync), where an operator finds, retries or skips them.
 */
@WorkflowInterface
public interface SyncBatchWorkflow {

  String TYPE = "SyncBatchWorkflow";
  String TASK_QUEUE = TaskQueues.SYNC_BULK;

  @WorkflowMethod(name = TYPE)
  SyncBatchSummary sync(SyncBatch batch);
}
