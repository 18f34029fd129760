package io.graphsync.workflows.reconcile;

import io.graphsync.workflows.sync.ChangeEvent;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** Starts the sync workflows that repair what reconciliation found. */
@ActivityInterface
public interface RepairActivities {

  /**
   * Starts one {@code SyncChangeEventWorkflow} per event (id {@link ChangeEvent#workflowId()}, search attributes and
   * summary as the capture sets them). Idempotent: a workflow that already exists counts as started, so a retried
   * attempt starts nothing twice.
   *
   * @return the workflow ids, in the order of {@code events}
   */
  @ActivityMethod
  List<String> startRepairs(List<ChangeEvent> events);
}
