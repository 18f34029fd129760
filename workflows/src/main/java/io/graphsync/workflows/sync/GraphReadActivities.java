package io.graphsync.workflows.sync;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Reads what the graph holds, for decisions of the sync workflows. */
@ActivityInterface
public interface GraphReadActivities {

  /**
   * The order key of the last change of this entity that the graph applied: the node's or join relationship's
   * {@code syncPosition}, or the position of its tombstone, whichever is greater; -1 when the graph holds neither.
   * Needs only the table and the key, never the row's values (which may be what failed).
   *
   * @param table the source table of the change (an entity table or a join table)
   * @param entityId the change's {@code entityId} (join tables: {@code <from>|<to>})
   */
  @ActivityMethod
  long appliedPosition(String table, String entityId);
}
