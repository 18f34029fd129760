package io.graphsync.activities.mapping;

import io.graphsync.workflows.mapping.Conversion;
import java.util.Map;
import java.util.Optional;

/** The default {@link Conversion} of a PostgreSQL column type. */
final class PostgresTypes {

  private static final Map<String, Conversion> BY_TYPE_NAME = Map.ofEntries(
      Map.entry("uuid", Conversion.STRING),
      Map.entry("text", Conversion.STRING),
      Map.entry("varchar", Conversion.STRING),
      Map.entry("bpchar", Conversion.STRING),
      Map.entry("citext", Conversion.STRING),
      Map.entry("int2", Conversion.LONG),
      Map.entry("int4", Conversion.LONG),
      Map.entry("int8", Conversion.LONG),
      Map.entry("float4", Conversion.DOUBLE),
      Map.entry("float8", Conversion.DOUBLE),
      Map.entry("numeric", Conversion.DECIMAL_STRING),
      Map.entry("bool", Conversion.BOOLEAN),
      Map.entry("timestamptz", Conversion.DATETIME),
      Map.entry("timestamp", Conversion.DATETIME),
      Map.entry("date", Conversion.DATE),
      Map.entry("json", Conversion.JSON_STRING),
      Map.entry("jsonb", Conversion.JSON_STRING));

  private PostgresTypes() {}

  /** The conversion for a column of that type, or empty when graphsync has no default for it. */
  static Optional<Conversion> defaultConversion(TableSchema.ColumnSchema column) {
    if (column.typeCategory() == 'A') {
      return Optional.of(Conversion.LIST);
    }
    if (column.typeKind() == 'e') {
      return Optional.of(Conversion.STRING);
    }
    return Optional.ofNullable(BY_TYPE_NAME.get(column.typeName()));
  }
}
