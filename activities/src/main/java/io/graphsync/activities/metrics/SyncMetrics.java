package io.graphsync.activities.metrics;

import io.graphsync.workflows.sync.ChangeEvent;

/**
 * Told by the sync activities what became of each change they wrote: worker-app turns it into meters (docs/sync.md,
 * Metrics). Called on the activity's thread after the write; an implementation must be cheap and must not throw.
 * Tags stay few: the path, the lane, the event's entity type, a failure's type; never ids or tenants.
 */
public interface SyncMetrics {

  /** Records nothing: for tests and callers without a registry. */
  SyncMetrics NONE = new SyncMetrics() {};

  /**
   * The change reached the graph (its write succeeded): {@code applied} false when it changed nothing (a stale
   * or duplicate change, a row that is gone, a change superseded in its batch). {@code event.timestamp()} is the
   * PostgreSQL commit time; {@code lane} the task queue the activity ran on ({@code sync-critical}, ...).
   */
  default void written(SyncPath path, String lane, ChangeEvent event, boolean applied) {}

  /** An attempt to write a change of {@code entityType} failed ({@code mixed}: a batch of several types). */
  default void failed(SyncPath path, String lane, String entityType, SyncFailure failure) {}
}
