package io.graphsync.starters.cdc;

import io.graphsync.starters.cdc.ChangeEventWorkflowStarter.StartOutcome;
import io.graphsync.workflows.bulk.Truncate;
import io.graphsync.workflows.bulk.TruncateWorkflow;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.util.Optional;

/** Starts a {@link TruncateWorkflow} for a captured TRUNCATE: id {@code truncate/<table>/<position>}, on sync-bulk. */
final class TruncateStarter {

  private final WorkflowClient client;

  TruncateStarter(WorkflowClient client) {
    this.client = client;
  }

  /** Started, already started (a replay), or rejected for good; an outage throws. */
  StartOutcome start(Truncate truncate) {
    try {
      client.newUntypedWorkflowStub(TruncateWorkflow.TYPE, WorkflowOptions.newBuilder()
              .setWorkflowId(truncate.workflowId())
              .setTaskQueue(TruncateWorkflow.TASK_QUEUE)
              .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
              .setTypedSearchAttributes(SearchAttributes.newBuilder()
                  .set(SyncSearchAttributes.ENTITY_TYPE, truncate.entityType()).build())
              .setStaticSummary("TRUNCATE " + truncate.table() + " (" + truncate.entityType() + ") at position "
                  + truncate.position())
              .build())
          .start(truncate);
      return StartOutcome.STARTED;
    } catch (WorkflowExecutionAlreadyStarted duplicate) {
      return StartOutcome.ALREADY_STARTED;
    } catch (RuntimeException e) {
      Optional<StartOutcome.Rejected> rejected = StartFailures.rejection(e);
      if (rejected.isPresent()) {
        return rejected.get();
      }
      throw e;
    }
  }
}
