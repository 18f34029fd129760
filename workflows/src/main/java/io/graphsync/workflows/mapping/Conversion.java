package io.graphsync.workflows.mapping;

/**
 * How a column's value becomes a Neo4j property value. When the mapping names none, the validator picks one from
 * the column's PostgreSQL type; a conversion the mapping names must suit the column's type (the validator refuses
 * one that could fail at run time). The type table is in docs/sync.md.
 */
public enum Conversion {
  /** the value's text: text types, uuid, enum, xml, inet/cidr/macaddr, ltree, ranges, bit/varbit ('0'/'1') */
  STRING,
  /** smallint, integer, bigint */
  LONG,
  /** real, double precision (NaN and ±Infinity kept); numeric or money when a double is wanted */
  DOUBLE,
  /** numeric and money kept exact, as decimal text ({@code NaN}, {@code Infinity}, {@code -Infinity} as such) */
  DECIMAL_STRING,
  BOOLEAN,
  /** timestamptz: a Neo4j DateTime (a timestamp without zone still becomes a LocalDateTime) */
  DATETIME,
  /** timestamp: a Neo4j LocalDateTime */
  LOCAL_DATETIME,
  /** date: a Neo4j Date */
  DATE,
  /** time: a Neo4j LocalTime */
  TIME,
  /** timetz: a Neo4j Time, its offset kept */
  TIME_WITH_OFFSET,
  /** interval: a Neo4j Duration (months, days, seconds and nanoseconds kept apart, as PostgreSQL does) */
  DURATION,
  /** point: a Neo4j cartesian Point (SRID 7203) */
  POINT,
  /** bytea: a Neo4j byte array */
  BYTES,
  /** json, jsonb, hstore (an object of text values): the JSON text (Neo4j properties cannot hold maps) */
  JSON_STRING,
  /**
   * arrays of scalars: a Neo4j list; an array holding a NULL element is stored as its JSON text instead (Neo4j lists
   * cannot hold null)
   */
  LIST,
  /**
   * real[], double precision[]: a Neo4j list of floats, NaN and ±Infinity kept (in a workflow input they travel as
   * text, which {@link #LIST} could not tell from text elements); with a NULL element its JSON text, as {@link #LIST}
   */
  FLOAT_LIST
}
