package io.graphsync.workflows.mapping;

/** Direction of a relationship, seen from the row that holds the foreign key. */
public enum Direction {
  /** {@code (row)-[:TYPE]->(target)} */
  OUTGOING,
  /** {@code (target)-[:TYPE]->(row)} */
  INCOMING
}
