package io.graphsync.workflows.mapping;

/** What a back-flow case does when both sides changed the same entity (see {@link BackflowCase}). */
public enum ConflictPolicy {
  /** The row stays; the graph is rewritten from it. */
  POSTGRES_WINS,
  /**
   * The side modified last wins: the node's {@code neo4jModifiedAt} against the row's {@code last_modified_at}, both
   * kept by graphsync (the write contract and the back-flow trigger).
   */
  NEO4J_WINS_IF_NEWER,
  /** A person decides: the conflict goes to the entity's {@code ManualResolutionWorkflow}. */
  MANUAL
}
