package io.graphsync.workflows.sync;

/** Where a change comes from. */
public enum EventSource {
  POSTGRES,
  NEO4J,
  RECONCILIATION,
  /** A row loaded by a backfill page (positioned at the page's locked read: see {@code BackfillActivities}). */
  BACKFILL
}
