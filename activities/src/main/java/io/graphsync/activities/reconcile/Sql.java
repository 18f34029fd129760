package io.graphsync.activities.reconcile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import io.graphsync.activities.source.SourceRowReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** SQL text from the validated mapping's identifiers (always quoted) and the catalog's type names. */
final class Sql {

  private Sql() {}

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  static String qualified(String table) {
    int dot = table.indexOf('.');
    return dot < 0 ? quote(table) : quote(table.substring(0, dot)) + "." + quote(table.substring(dot + 1));
  }

  /** Column → its type as PostgreSQL prints it ({@code format_type}, e.g. {@code uuid}, {@code bigint}). */
  static Map<String, String> columnTypes(Connection connection, String table, List<String> columns)
      throws SQLException {
    Map<String, String> types = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement("""
        SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
        WHERE attrelid = to_regclass(?) AND attname = ANY(?) AND attnum > 0 AND NOT attisdropped""")) {
      statement.setString(1, qualified(table));
      statement.setArray(2, connection.createArrayOf("text", columns.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          types.put(rows.getString(1), rows.getString(2));
        }
      }
    }
    for (String column : columns) {
      if (!types.containsKey(column)) {
        throw new IllegalStateException("column " + column + " of table " + table + " not found in PostgreSQL");
      }
    }
    return types;
  }

  /**
   * A key column in text order. A uuid's text order is its byte order, so uuid keys are compared and sorted natively
   * (the primary-key index serves the pages); any other type is sorted as {@code ::text COLLATE "C"}, the order of
   * the graph's text {@code id}.
   */
  record KeyColumn(String column, String type) {

    boolean isNative() {
      return type.equals("uuid");
    }

    String orderBy() {
      return isNative() ? quote(column) : quote(column) + "::text COLLATE \"C\"";
    }

    /** The expression a text parameter is compared with in {@link #orderBy()}'s order. */
    String parameter() {
      return isNative() ? "CAST(? AS uuid)" : "?";
    }

    String in() {
      return quote(column) + " = ANY(CAST(? AS " + type + "[]))";
    }
  }

  /**
   * Runs a SELECT of mapped columns and returns its rows in the capture's representation
   * ({@link SourceRowReader#row}), each with the key {@code keyOf} gives it.
   */
  static List<ComparedTable.Row> rows(Connection connection, String sql, List<Object> parameters,
      Function<Map<String, Object>, String> keyOf) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        statement.setObject(i + 1, parameters.get(i));
      }
      statement.setFetchSize(1000);
      List<ComparedTable.Row> rows = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          Map<String, Object> values = SourceRowReader.row(result);
          rows.add(new ComparedTable.Row(keyOf.apply(values), values));
        }
      }
      return rows;
    }
  }
}
