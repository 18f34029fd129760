package io.graphsync.workflows.sync;

import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * Applies the change to the graph, then marks the source row. Two activities, no timers, no extra workflow
 * tasks: the per-event path stays lean. The {@code SyncStatus} search attribute is set to RUNNING by the starter
 * and to SUCCESS or FAILED here, in the final workflow task.
 */
public class SyncChangeEventWorkflowImpl implements SyncChangeEventWorkflow {

  private static final Logger log = Workflow.getLogger(SyncChangeEventWorkflowImpl.class);

  private final GraphWriteActivities graph =
      Workflow.newActivityStub(GraphWriteActivities.class, SyncActivityOptions.GRAPH_WRITE);
  private final SyncStatusActivities status =
      Workflow.newActivityStub(SyncStatusActivities.class, SyncActivityOptions.STATUS_WRITE);

  @Override
  public SyncOutcome sync(ChangeEvent event) {
    GraphApplyResult result;
    try {
      result = graph.applyToGraph(event);
    } catch (ActivityFailure failure) {
      log.warn("sync of {} {} at position {} failed: {}", event.entityType(), event.entityId(), event.position(),
          describe(failure));
      if (tracksStatus(event)) {
        status.recordSyncStatus(new SyncStatusUpdate(event.table(), event.entityId(), event.version(),
            SyncStatus.FAILED, attempts(failure), describe(failure), null));
      }
      Workflow.upsertTypedSearchAttributes(SyncSearchAttributes.SYNC_STATUS.valueSet(SyncStatus.FAILED.name()));
      throw failure;
    }
    boolean recorded = tracksStatus(event)
        && status.recordSyncStatus(new SyncStatusUpdate(event.table(), event.entityId(), event.version(),
            SyncStatus.SUCCESS, result.attempt(), null, result.nodeId()));
    Workflow.upsertTypedSearchAttributes(SyncSearchAttributes.SYNC_STATUS.valueSet(SyncStatus.SUCCESS.name()));
    return new SyncOutcome(SyncStatus.SUCCESS, result.applied(), recorded, result.nodeId());
  }

  /** Rows of entity tables carry the bookkeeping columns; a deleted row has nothing left to mark. */
  private static boolean tracksStatus(ChangeEvent event) {
    return event.version() != null && event.eventType() != EventType.DELETE;
  }

  private static int attempts(ActivityFailure failure) {
    return failure.getRetryState() == RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED
        ? SyncActivityOptions.GRAPH_WRITE_MAX_ATTEMPTS
        : 1;
  }

  private static String describe(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure application) {
      return application.getType() + ": " + application.getOriginalMessage();
    }
    return cause == null ? failure.getMessage() : cause.getMessage();
  }
}
