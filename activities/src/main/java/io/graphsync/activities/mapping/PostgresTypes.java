package io.graphsync.activities.mapping;

import static io.graphsync.workflows.mapping.Conversion.BOOLEAN;
import static io.graphsync.workflows.mapping.Conversion.BYTES;
import static io.graphsync.workflows.mapping.Conversion.DATE;
import static io.graphsync.workflows.mapping.Conversion.DATETIME;
import static io.graphsync.workflows.mapping.Conversion.DECIMAL_STRING;
import static io.graphsync.workflows.mapping.Conversion.DOUBLE;
import static io.graphsync.workflows.mapping.Conversion.DURATION;
import static io.graphsync.workflows.mapping.Conversion.FLOAT_LIST;
import static io.graphsync.workflows.mapping.Conversion.JSON_STRING;
import static io.graphsync.workflows.mapping.Conversion.LIST;
import static io.graphsync.workflows.mapping.Conversion.LOCAL_DATETIME;
import static io.graphsync.workflows.mapping.Conversion.LONG;
import static io.graphsync.workflows.mapping.Conversion.POINT;
import static io.graphsync.workflows.mapping.Conversion.STRING;
import static io.graphsync.workflows.mapping.Conversion.TIME;
import static io.graphsync.workflows.mapping.Conversion.TIME_WITH_OFFSET;

import io.graphsync.workflows.mapping.Conversion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which {@link Conversion}s suit a PostgreSQL column type, and which one is its default: a conversion accepted here
 * never fails at run time for a valid value of the type. Types without any are refused, with the fix. The table is in
 * docs/sync.md (keep both in step).
 */
final class PostgresTypes {

  /** What graphsync does with the values of one type. */
  record Support(Conversion defaultConversion, List<Conversion> allowed, String refusal) {

    static Support of(Conversion defaultConversion, Conversion... others) {
      List<Conversion> allowed = new ArrayList<>();
      allowed.add(defaultConversion);
      allowed.addAll(List.of(others));
      return new Support(defaultConversion, List.copyOf(allowed), null);
    }

    static Support refused(String refusal) {
      return new Support(null, List.of(), refusal);
    }

    boolean supported() {
      return defaultConversion != null;
    }
  }

  private static final Support TEXT = Support.of(STRING);
  private static final Support INTEGER = Support.of(LONG, DOUBLE, DECIMAL_STRING, STRING);
  private static final Support FLOAT = Support.of(DOUBLE, DECIMAL_STRING, STRING);
  private static final Support DECIMAL = Support.of(DECIMAL_STRING, DOUBLE, STRING);

  private static final Map<String, Support> BY_TYPE_NAME = new HashMap<>();

  static {
    for (String text : List.of("text", "varchar", "bpchar", "char", "name", "citext", "uuid", "xml", "inet", "cidr",
        "macaddr", "macaddr8", "ltree", "bit", "varbit", "int4range", "int8range", "numrange", "tsrange", "tstzrange",
        "daterange")) {
      BY_TYPE_NAME.put(text, TEXT);
    }
    for (String integer : List.of("int2", "int4", "int8")) {
      BY_TYPE_NAME.put(integer, INTEGER);
    }
    BY_TYPE_NAME.put("float4", FLOAT);
    BY_TYPE_NAME.put("float8", FLOAT);
    BY_TYPE_NAME.put("numeric", DECIMAL);
    BY_TYPE_NAME.put("money", DECIMAL);
    BY_TYPE_NAME.put("bool", Support.of(BOOLEAN, STRING));
    BY_TYPE_NAME.put("date", Support.of(DATE, STRING));
    BY_TYPE_NAME.put("timestamp", Support.of(LOCAL_DATETIME, DATETIME, STRING));
    BY_TYPE_NAME.put("timestamptz", Support.of(DATETIME, STRING));
    BY_TYPE_NAME.put("time", Support.of(TIME, STRING));
    BY_TYPE_NAME.put("timetz", Support.of(TIME_WITH_OFFSET, STRING));
    BY_TYPE_NAME.put("interval", Support.of(DURATION, STRING));
    BY_TYPE_NAME.put("bytea", Support.of(BYTES, STRING));
    BY_TYPE_NAME.put("point", Support.of(POINT, JSON_STRING));
    BY_TYPE_NAME.put("json", Support.of(JSON_STRING, STRING));
    BY_TYPE_NAME.put("jsonb", Support.of(JSON_STRING, STRING));
    BY_TYPE_NAME.put("hstore", Support.of(JSON_STRING));
    for (String postgis : List.of("geometry", "geography")) {
      BY_TYPE_NAME.put(postgis, Support.refused("Debezium sends PostGIS values as WKB, which graphsync does not "
          + "convert"));
    }
    for (String geometric : List.of("box", "circle", "line", "lseg", "path", "polygon")) {
      BY_TYPE_NAME.put(geometric, Support.refused("Debezium does not send values of this geometric type (only "
          + "point)"));
    }
  }

  /** Element types whose arrays the capture and the re-read give as the same list of scalars. */
  private static final Set<String> LIST_ELEMENTS = Set.of("text", "varchar", "bpchar", "uuid", "int2", "int4", "int8",
      "numeric", "bool", "date", "timestamp", "timestamptz");

  private PostgresTypes() {}

  /** How graphsync converts a column of that type: a default and the conversions that fit, or why it cannot. */
  static Support support(TableSchema.ColumnSchema column) {
    if (column.isArray()) {
      if ("float4".equals(column.elementTypeName()) || "float8".equals(column.elementTypeName())) {
        return Support.of(FLOAT_LIST, JSON_STRING);
      }
      if (column.elementTypeKind() == 'e' || LIST_ELEMENTS.contains(column.elementTypeName())) {
        return Support.of(LIST, JSON_STRING);
      }
      return Support.refused("arrays of " + column.elementTypeName() + " are not converted (only arrays of text, "
          + "numbers, booleans, uuids, enums, dates and timestamps)");
    }
    if (column.typeKind() == 'e') {
      return TEXT;
    }
    Support known = BY_TYPE_NAME.get(column.typeName());
    if (known != null) {
      return known;
    }
    return Support.refused(switch (column.typeKind()) {
      case 'c' -> "composite types are not converted";
      case 'r', 'm' -> "this range type is not converted (the built-in ranges are)";
      default -> "graphsync has no conversion for it";
    });
  }

  /** The default conversion for a column of that type, or empty when graphsync has none for it. */
  static Optional<Conversion> defaultConversion(TableSchema.ColumnSchema column) {
    return Optional.ofNullable(support(column).defaultConversion());
  }
}
