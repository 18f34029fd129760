package io.graphsync.workflows.mapping;

/**
 * How a column's value becomes a Neo4j property value. When the mapping names none, the validator picks one from
 * the column's PostgreSQL type.
 */
public enum Conversion {
  /** text, varchar, uuid (as its canonical text), enum types */
  STRING,
  /** smallint, integer, bigint */
  LONG,
  /** real, double precision; numeric when a double is wanted */
  DOUBLE,
  /** numeric kept exact, as its decimal text */
  DECIMAL_STRING,
  BOOLEAN,
  /** timestamptz, timestamp: a Neo4j DateTime / LocalDateTime */
  DATETIME,
  /** date: a Neo4j Date */
  DATE,
  /** json, jsonb: the JSON text (Neo4j properties cannot hold maps) */
  JSON_STRING,
  /** arrays of the above scalar types: a Neo4j list */
  LIST
}
