package io.graphsync.workflows.resolve;

/** What a person decides about a {@link Conflict}. */
public enum Resolution {
  /** PostgreSQL is right: the graph is rewritten from the row. */
  KEEP_POSTGRES,
  /** Neo4j is right: the row is updated from the node (optimistic lock on {@code pg_version}). */
  KEEP_NEO4J,
  /** Nothing is changed; the conflict is closed as reviewed. */
  DISMISS
}
