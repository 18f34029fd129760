package io.graphsync.workflows.sync;

/** Where a change comes from. */
public enum EventSource {
  POSTGRES,
  NEO4J,
  RECONCILIATION
}
