package io.graphsync.activities.resolve;

import static io.graphsync.activities.postgres.SqlIdentifiers.qualified;
import static io.graphsync.activities.postgres.SqlIdentifiers.quote;

import io.graphsync.activities.mapping.MappedColumn;
import io.graphsync.activities.mapping.MappedColumns;
import io.graphsync.activities.postgres.Catalog;
import io.graphsync.activities.postgres.Catalog.ColumnType;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.mapping.TableMapping;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * KEEP_NEO4J's guarded UPDATE of one entity table, built once from the mapping and the catalog's column types: the
 * mapped columns (renamed back from their property names; never the key, the tenant, the foreign keys or the
 * bookkeeping columns), each value as text with an explicit cast to the column's own type as the catalog names it
 * ({@code format_type}: {@code numeric(10,4)}, {@code text[]}, an enum, ...), lists as {@code text[]} cast to the
 * array type; {@code WHERE key = ? AND pg_version = ?}.
 */
record RowUpdate(String table, String sql, List<ColumnWrite> columns) {

  /** One column written back: its property, its SQL type as the catalog names it, and whether it is an array. */
  record ColumnWrite(MappedColumn column, String sqlType, boolean array) {}

  static RowUpdate of(Connection connection, TableMapping table) throws SQLException {
    Map<String, ColumnType> types = Catalog.columnTypes(connection, table.table());
    List<ColumnWrite> columns = new ArrayList<>();
    List<String> assignments = new ArrayList<>();
    for (MappedColumn column : MappedColumns.of(table)) {
      ColumnType type = types.get(column.column());
      if (type == null) {
        throw ApplicationFailure.newNonRetryableFailure("column '" + column.column() + "' of '" + table.table()
            + "' is not in the database (the mapping no longer fits the schema)", FailureType.INVALID_DATA.type());
      }
      columns.add(new ColumnWrite(column, type.name(), type.array()));
      assignments.add(quote(column.column()) + " = CAST(CAST(? AS " + (type.array() ? "text[]" : "text") + ") AS "
          + type.name() + ")");
    }
    if (columns.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure("table '" + table.table() + "' maps no property columns: "
          + "there is nothing to write back", FailureType.INVALID_DATA.type());
    }
    String sql = "UPDATE " + qualified(table.table()) + " SET " + String.join(", ", assignments)
        + " WHERE " + quote(table.key()) + " = ? AND pg_version = ? RETURNING pg_version";
    return new RowUpdate(table.table(), sql, List.copyOf(columns));
  }

  /** The new {@code pg_version}, or null when no row has that key and version. */
  Long run(Connection connection, Map<String, Object> node, String entityId, long expectedVersion)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int index = 1;
      for (ColumnWrite write : columns) {
        Object value = node.get(write.column().property());
        try {
          if (write.array()) {
            String[] elements = GraphValues.array(value);
            statement.setArray(index++, elements == null ? null : connection.createArrayOf("text", elements));
          } else {
            statement.setString(index++, GraphValues.text(value));
          }
        } catch (IllegalArgumentException e) {
          throw ApplicationFailure.newNonRetryableFailure("node property '" + write.column().property()
              + "' cannot be written into " + table + "." + write.column().column() + ": it holds "
              + e.getMessage(), FailureType.INVALID_DATA.type());
        }
      }
      // untyped, so PostgreSQL casts the text to the key column's type (uuid, bigint, ...)
      statement.setObject(index++, entityId, Types.OTHER);
      statement.setLong(index, expectedVersion);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? row.getLong(1) : null;
      }
    }
  }

  String columnList() {
    return columns.stream().map(write -> write.column().column()).collect(Collectors.joining(", "));
  }
}
