package io.graphsync.workflows.bulk;

import io.graphsync.workflows.reconcile.RepairActivities;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventType;
import io.graphsync.workflows.sync.SyncPolicy;
import io.graphsync.workflows.sync.SyncStatus;
import io.graphsync.workflows.sync.SyncStatusUpdate;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * One graph write for the whole batch ({@link BatchSyncActivities#applyBatchToGraph}, retried like a single change's
 * write for the policy's retry window), one write-back ({@link BatchSyncActivities#recordBatchSyncStatus}). A change
 * the graph writer reports as failed — and, when the batch write never succeeds, every change — is handed to its own
 * {@code SyncChangeEventWorkflow} ({@link RepairActivities#startRepairs}: id {@code sync/<Label>/<id>/<position>},
 * started once), so the per-entity operations (find, retry, skip) stay the same.
 */
public class SyncBatchWorkflowImpl implements SyncBatchWorkflow {

  private static final Logger log = Workflow.getLogger(SyncBatchWorkflowImpl.class);

  private final BatchSyncActivities activities;
  private final RepairActivities splitOut;

  public SyncBatchWorkflowImpl(SyncPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    this.activities = Workflow.newActivityStub(BatchSyncActivities.class, BatchSyncActivityOptions.apply(policy));
    this.splitOut = Workflow.newActivityStub(RepairActivities.class, BatchSyncActivityOptions.SPLIT_OUT);
  }

  @Override
  public SyncBatchSummary sync(SyncBatch batch) {
    List<ChangeEvent> events = batch.events();
    List<BatchItemResult> results;
    try {
      results = activities.applyBatchToGraph(events);
    } catch (ActivityFailure failure) {
      log.warn("batch {} of {} changes could not be written ({}): each goes to its own sync workflow",
          batch.batchId(), events.size(), failure.getCause() == null ? failure : failure.getCause().getMessage());
      List<String> ids = splitOut.startRepairs(events);
      return new SyncBatchSummary(events.size(), 0, 0, ids);
    }
    Map<String, ChangeEvent> byId = new HashMap<>();
    events.forEach(event -> byId.put(event.eventId(), event));
    List<ChangeEvent> failed = new ArrayList<>();
    Map<String, SyncStatusUpdate> latestPerRow = new HashMap<>();
    int applied = 0;
    for (BatchItemResult result : results) {
      ChangeEvent event = byId.get(result.eventId());
      if (result.failed()) {
        failed.add(event);
        continue;
      }
      if (result.applied()) {
        applied++;
      }
      if (event.version() != null && event.eventType() != EventType.DELETE) {
        String row = event.table() + "/" + event.entityId();
        SyncStatusUpdate previous = latestPerRow.get(row);
        if (previous == null || previous.version() <= event.version()) {
          latestPerRow.put(row, new SyncStatusUpdate(event.table(), event.entityId(), event.version(),
              SyncStatus.SUCCESS, 1, null, result.nodeId() != null ? result.nodeId()
              : previous == null ? null : previous.nodeId()));
        }
      }
    }
    int marked = latestPerRow.isEmpty() ? 0
        : activities.recordBatchSyncStatus(List.copyOf(latestPerRow.values()));
    List<String> split = failed.isEmpty() ? List.of() : splitOut.startRepairs(failed);
    if (!split.isEmpty()) {
      log.warn("batch {}: {} changes could not be written, each handed to its own sync workflow", batch.batchId(),
          split.size());
    }
    return new SyncBatchSummary(events.size(), applied, marked, split);
  }
}
