package io.graphsync.activities.neo4j;

import io.graphsync.workflows.mapping.Conversion;

/** For tests of other packages: the graph writer's conversion of a row value into its Neo4j value. */
public final class ValueConversions {

  private ValueConversions() {}

  /** {@link ValueConverter#convert}: what the graph writer stores for a row value under a conversion. */
  public static Object convert(Object value, Conversion conversion) {
    return ValueConverter.convert(value, conversion);
  }
}
