package io.graphsync.starters.reconcile;

import io.graphsync.starters.cdc.ChangeEventWorkflowStarter;
import io.graphsync.workflows.reconcile.RepairActivities;
import io.graphsync.workflows.sync.ChangeEvent;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts reconciliation's repairs as ordinary {@code SyncChangeEventWorkflow}s, through the capture's own
 * {@link ChangeEventWorkflowStarter}: the same workflow ids ({@code sync/<EntityType>/<EntityId>/<position>}), search
 * attributes, summary and REJECT_DUPLICATE policy. A retried attempt therefore starts nothing twice: a workflow that
 * already exists counts as started. The task queue is the starter's (worker-app: the repairs' lane).
 */
public class RepairActivitiesImpl implements RepairActivities {

  private static final Logger log = LoggerFactory.getLogger(RepairActivitiesImpl.class);

  private final ChangeEventWorkflowStarter starter;

  public RepairActivitiesImpl(ChangeEventWorkflowStarter starter) {
    this.starter = Objects.requireNonNull(starter, "starter");
  }

  @Override
  public List<String> startRepairs(List<ChangeEvent> events) {
    try {
      List<ChangeEventWorkflowStarter.StartOutcome> outcomes = starter.startAll(events);
      long again = outcomes.stream().filter(o -> o == ChangeEventWorkflowStarter.StartOutcome.ALREADY_STARTED).count();
      log.info("reconciliation started {} repair syncs ({} already existed)", events.size() - again, again);
      return events.stream().map(ChangeEvent::workflowId).toList();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + events.size() + " repairs", e);
    }
  }
}
