package io.graphsync.workflows.sync;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Writes a sync's outcome back into PostgreSQL. */
@ActivityInterface
public interface SyncStatusActivities {

  /**
   * Sets {@code sync_status}, {@code sync_attempts}, {@code last_sync_error}, {@code last_sync_timestamp} and
   * {@code neo4j_node_id} on the row, only if the row still has {@code update.version()}: a newer version stays
   * PENDING for its own sync. Never bumps {@code pg_version}, and never causes a new sync.
   *
   * @return whether the row was marked (false: the row is gone or has a newer version)
   */
  @ActivityMethod
  boolean recordSyncStatus(SyncStatusUpdate update);
}
