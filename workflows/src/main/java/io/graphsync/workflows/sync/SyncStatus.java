package io.graphsync.workflows.sync;

/** The {@code sync_status} column, and the {@code SyncStatus} search attribute. */
public enum SyncStatus {
  PENDING,
  RUNNING,
  SUCCESS,
  FAILED,
  RETRYING,
  SKIPPED
}
