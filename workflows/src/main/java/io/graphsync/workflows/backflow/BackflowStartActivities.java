package io.graphsync.workflows.backflow;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** Starts the back-flow's per-change workflows (implemented in {@code starters}). */
@ActivityInterface
public interface BackflowStartActivities {

  /**
   * Starts one {@link Neo4jToPostgresSyncWorkflow} per change on {@code sync-neo4j} (id
   * {@link GraphChange#workflowId()}, search attributes {@code Source=NEO4J}, {@code EntityType}, {@code EntityId},
   * {@code TenantId}, {@code SyncStatus=RUNNING}); one that exists already counts as started. Returns how many were
   * new.
   */
  @ActivityMethod
  int startSyncs(List<GraphChange> changes);
}
