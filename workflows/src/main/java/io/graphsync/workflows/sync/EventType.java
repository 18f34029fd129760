package io.graphsync.workflows.sync;

/** What happened to the row. */
public enum EventType {
  CREATE,
  UPDATE,
  DELETE
}
