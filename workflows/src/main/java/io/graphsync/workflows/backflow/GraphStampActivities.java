package io.graphsync.workflows.backflow;

import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.GraphApplyResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The graph side of a row change that the back-flow itself wrote. */
@ActivityInterface
public interface GraphStampActivities {

  /**
   * Applies a captured change that the back-flow wrote ({@code source = NEO4J}): the element already holds those
   * values (or newer ones made in the graph since), so only the bookkeeping is written — {@code pgId},
   * {@code pgVersion}, {@code syncPosition}, {@code lastSyncedAt} — guarded by the order key like every write. The
   * element's properties, {@code neo4jVersion} and {@code neo4jModifiedAt} are left alone: no loop, and a graph edit
   * made after the back-flow read the element is never overwritten by its own echo.
   */
  @ActivityMethod
  GraphApplyResult stampFromPostgres(ChangeEvent event);
}
