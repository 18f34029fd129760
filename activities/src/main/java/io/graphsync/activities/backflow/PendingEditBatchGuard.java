package io.graphsync.activities.backflow;


import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.workflows.bulk.BatchItemResult;
import io.graphsync.workflows.bulk.BatchSyncActivities;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.SyncStatusUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PendingEditGuard}'s rule for the batch path ({@code SyncBatchWorkflow}): a change of a back-flow node that
 * waits for the back-flow (edited in Neo4j, not flowed back yet) or is held for an open manual conflict is not written
 * by the batch. It is reported as not written, with the reason, and the batch workflow hands it to its own
 * {@code SyncChangeEventWorkflow} (as it does with every change it could not write), whose guarded graph write waits
 * for the back-flow or finishes without writing the held node. The other changes are written by the batch writer as
 * before. Deletes and labels without a back-flow case are never routed (one indexed read per guarded label and batch).
 */
public class PendingEditBatchGuard implements BatchSyncActivities {

  private static final Logger log = LoggerFactory.getLogger(PendingEditBatchGuard.class);

  private final BatchSyncActivities delegate;
  private final PendingEdits edits;

  /** @param neo4j the graph: driver and database */
  public PendingEditBatchGuard(BatchSyncActivities delegate, Neo4jTarget neo4j, GraphMapping mapping) {
    this.delegate = delegate;
    this.edits = new PendingEdits(neo4j, mapping);
  }

  @Override
  public List<BatchItemResult> applyBatchToGraph(List<ChangeEvent> events) {
    Map<String, Set<String>> idsByLabel = new HashMap<>();
    for (ChangeEvent event : events) {
      if (edits.concerns(event)) {
        idsByLabel.computeIfAbsent(event.entityType(), label -> new HashSet<>()).add(event.entityId());
      }
    }
    if (idsByLabel.isEmpty()) {
      return delegate.applyBatchToGraph(events);
    }
    Map<String, String> reasons = new HashMap<>();
    idsByLabel.forEach((label, ids) -> edits.guarded(label, ids).forEach((id, state) ->
        reasons.put(label + "/" + id, state.hold() == null
            ? "edited in Neo4j, not flowed back yet: handed to its own sync, which waits for the back-flow"
            : "held for the open conflict " + state.hold()
                + ": handed to its own sync, which does not write the node")));
    if (reasons.isEmpty()) {
      return delegate.applyBatchToGraph(events);
    }
    List<ChangeEvent> rest = new ArrayList<>();
    Map<String, BatchItemResult> routed = new HashMap<>();
    for (ChangeEvent event : events) {
      String reason = edits.concerns(event) ? reasons.get(event.entityType() + "/" + event.entityId()) : null;
      if (reason == null) {
        rest.add(event);
      } else {
        routed.put(event.eventId(), new BatchItemResult(event.eventId(), false, null, event.entityType() + " "
            + event.entityId() + " " + reason));
      }
    }
    log.info("batch of {} changes: {} of back-flow nodes that wait or are held go to their own syncs", events.size(),
        routed.size());
    Map<String, BatchItemResult> written = new HashMap<>();
    if (!rest.isEmpty()) {
      delegate.applyBatchToGraph(rest).forEach(result -> written.put(result.eventId(), result));
    }
    List<BatchItemResult> results = new ArrayList<>(events.size());
    for (ChangeEvent event : events) {
      BatchItemResult result = routed.getOrDefault(event.eventId(), written.get(event.eventId()));
      if (result != null) {
        results.add(result);
      }
    }
    return results;
  }

  @Override
  public int recordBatchSyncStatus(List<SyncStatusUpdate> updates) {
    return delegate.recordBatchSyncStatus(updates);
  }
}
