package io.graphsync.activities.backflow;


import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.graphsync.workflows.sync.GraphWriteActivities;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graph writer of the PostgreSQL → Neo4j syncs, with one rule for the nodes of back-flow cases: a change of a node
 * that was edited in Neo4j ({@code neo4jVersion} ahead of {@code backflowVersion}, with a {@code neo4jModifiedAt}) and
 * has not flowed back yet waits — it fails with the retryable {@code BackflowPending}, and Temporal retries it with
 * backoff — until the back-flow has decided by the case's policy. So a PostgreSQL change never overwrites a graph edit
 * that the policy has not seen. Deletes are not held (a row deleted in PostgreSQL wins), nor the back-flow's own
 * echoes ({@code source = NEO4J}), nor labels without a back-flow case (no extra read for them).
 *
 * <p>A node <b>held</b> for an open manual conflict ({@code backflowHold}, set when the back-flow hands a conflict to a
 * person, removed by the decision) is not written by such a change either: the change finishes without touching the
 * node ({@code applied = false}, with a detail that says so, and an INFO log), instead of waiting for hours. Nothing is
 * lost: its values are in the row, and a KEEP_POSTGRES decision rewrites the node from the row as it is then; after a
 * KEEP_NEO4J the row holds the graph's values.
 */
public class PendingEditGuard implements GraphWriteActivities {

  private static final Logger log = LoggerFactory.getLogger(PendingEditGuard.class);

  private final GraphWriteActivities delegate;
  private final PendingEdits edits;

  /** @param neo4j the graph: driver and database */
  public PendingEditGuard(GraphWriteActivities delegate, Neo4jTarget neo4j, GraphMapping mapping) {
    this.delegate = delegate;
    this.edits = new PendingEdits(neo4j, mapping);
  }

  @Override
  public GraphApplyResult applyToGraph(ChangeEvent event) {
    if (edits.concerns(event)) {
      PendingEdits.State guard = edits.guarded(event.entityType(), List.of(event.entityId())).get(event.entityId());
      if (guard != null && guard.pending()) {
        throw ApplicationFailure.newFailure(event.entityType() + " " + event.entityId() + " was edited in Neo4j and "
            + "that edit has not flowed back to PostgreSQL yet: this change waits for the back-flow's decision",
            FailureType.BACKFLOW_PENDING.type());
      }
      if (guard != null) {
        String detail = event.entityType() + " " + event.entityId() + " is held for the open conflict "
            + guard.hold() + ": pg_version " + event.version() + " is not written to the graph (the decision "
            + "writes it: KEEP_POSTGRES rewrites the node from the row as it is then)";
        log.info("{} ({} change at position {})", detail, event.source(), event.position());
        return new GraphApplyResult(false, null, Activity.getExecutionContext().getInfo().getAttempt(), detail);
      }
    }
    return delegate.applyToGraph(event);
  }
}
