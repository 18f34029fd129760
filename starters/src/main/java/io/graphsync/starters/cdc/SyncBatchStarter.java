package io.graphsync.starters.cdc;

import io.graphsync.starters.cdc.ChangeEventWorkflowStarter.StartOutcome;
import io.graphsync.workflows.bulk.SyncBatch;
import io.graphsync.workflows.bulk.SyncBatchWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;

/**
 * Starts {@link SyncBatchWorkflow}s on {@code sync-bulk}: id {@code sync-batch/<first>-<last position>}, so a batch
 * delivered again after a restart is acknowledged as a duplicate; a summary that says what it holds.
 */
final class SyncBatchStarter {

  private final WorkflowClient client;

  SyncBatchStarter(WorkflowClient client) {
    this.client = client;
  }

  /** Starts the batch: started, already started, or rejected for good; an outage throws. */
  StartOutcome start(SyncBatch batch) {
    return StartFailures.classify(
        () -> client.newUntypedWorkflowStub(SyncBatchWorkflow.TYPE, options(batch)).start(batch));
  }

  WorkflowOptions options(SyncBatch batch) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(batch.workflowId())
        .setTaskQueue(SyncBatchWorkflow.TASK_QUEUE)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setStaticSummary(summary(batch))
        .build();
  }

  /** E.g. {@code Batch of 500 changes (Concept 320, ContentItem 180), positions 2301..9912}. */
  static String summary(SyncBatch batch) {
    java.util.Map<String, Long> byType = new java.util.TreeMap<>();
    batch.events().forEach(event -> byType.merge(event.entityType(), 1L, Long::sum));
    StringBuilder text = new StringBuilder("Batch of ").append(batch.events().size()).append(" changes (");
    int shown = 0;
    for (java.util.Map.Entry<String, Long> entry : byType.entrySet()) {
      if (shown++ == 4) {
        text.append(", …");
        break;
      }
      text.append(shown == 1 ? "" : ", ").append(entry.getKey()).append(' ').append(entry.getValue());
    }
    return text.append("), positions ").append(batch.batchId().replace("-", "..")).toString();
  }
}
