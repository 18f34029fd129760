package io.graphsync.starters.cdc;

import io.graphsync.starters.cdc.ChangeEventWorkflowStarter.StartOutcome;
import io.graphsync.workflows.bulk.Truncate;
import io.graphsync.workflows.bulk.TruncateWorkflow;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;

/** Starts a {@link TruncateWorkflow} for a captured TRUNCATE: id {@code truncate/<table>/<position>}, on sync-bulk. */
final class TruncateStarter {

  private final WorkflowClient client;

  TruncateStarter(WorkflowClient client) {
    this.client = client;
  }

  /** Started, already started (a replay), or rejected for good; an outage throws. */
  StartOutcome start(Truncate truncate) {
    WorkflowOptions options = WorkflowOptions.newBuilder()
        .setWorkflowId(truncate.workflowId())
        .setTaskQueue(TruncateWorkflow.TASK_QUEUE)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(SyncSearchAttributes.ENTITY_TYPE, truncate.entityType()).build())
        .setStaticSummary("TRUNCATE " + truncate.table() + " (" + truncate.entityType() + ") at position "
            + truncate.position())
        .build();
    return StartFailures.classify(
        () -> client.newUntypedWorkflowStub(TruncateWorkflow.TYPE, options).start(truncate));
  }
}
