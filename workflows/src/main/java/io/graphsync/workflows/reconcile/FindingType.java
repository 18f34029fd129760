package io.graphsync.workflows.reconcile;

/** What a comparison of a row with the graph can find. */
public enum FindingType {
  /** The row has no node (or only a placeholder / a node never synced from PostgreSQL); a join row no relationship. */
  MISSING_IN_NEO4J,
  /** A node of a mapped label, or a join relationship, whose row does not exist. */
  ORPHAN_IN_NEO4J,
  /** The node holds an older {@code pgVersion} than the row's {@code pg_version}. */
  STALE_VERSION,
  /** Mapped properties (or the tenant) differ while the node is not older than the row. */
  ATTRIBUTE_MISMATCH,
  /** Foreign-key relationships differ from the row's foreign keys; a join relationship's properties differ. */
  RELATIONSHIP_MISMATCH
}
