package io.graphsync.workflows.bulk;

import io.graphsync.workflows.TaskQueues;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Applies a captured {@code TRUNCATE} of a mapped table to the graph, in batches, on {@code sync-bulk}. Id
 * {@code truncate/<table>/<position>}.
 */
@WorkflowInterface
public interface TruncateWorkflow {

  String TYPE = "TruncateWorkflow";
  String TASK_QUEUE = TaskQueues.SYNC_BULK;

  /** @return how many graph elements were deleted */
  @WorkflowMethod(name = TYPE)
  long truncate(Truncate truncate);
}
