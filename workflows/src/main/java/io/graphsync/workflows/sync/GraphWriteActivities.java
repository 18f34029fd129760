package io.graphsync.workflows.sync;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Writes changes into Neo4j. */
@ActivityInterface
public interface GraphWriteActivities {

  /**
   * Applies one change in one Neo4j transaction: the node {@code MERGE} (or a tombstone for a delete), its
   * foreign-key relationships (a target that has not arrived yet becomes a placeholder node), and join-table
   * relationships. Guarded by the order key: a change older than what the graph holds is a no-op, so applying an
   * event twice, or out of order, leaves the same graph. Bad data fails non-retryably
   * ({@link io.graphsync.workflows.FailureType#INVALID_DATA}, {@link io.graphsync.workflows.FailureType#UNMAPPED_TABLE}).
   */
  @ActivityMethod
  GraphApplyResult applyToGraph(ChangeEvent event);
}
