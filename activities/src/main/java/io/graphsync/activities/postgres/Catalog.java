package io.graphsync.activities.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** What the PostgreSQL catalog says about a mapped table's columns. */
public final class Catalog {

  private static final String COLUMN_TYPES = """
      SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typcategory
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped""";

  private Catalog() {}

  /**
   * A column's type.
   *
   * @param name the type as PostgreSQL prints it ({@code format_type}: {@code uuid}, {@code numeric(10,4)},
   *     {@code text[]}, an enum's name), for a {@code CAST(? AS name)}
   * @param array whether it is an array type ({@code typcategory = 'A'})
   */
  public record ColumnType(String name, boolean array) {}

  /**
   * Column → type of every live column of {@code table} (as the mapping names it, {@code schema.table} or
   * {@code table}); empty when there is no such table.
   */
  public static Map<String, ColumnType> columnTypes(Connection connection, String table) throws SQLException {
    Map<String, ColumnType> types = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(COLUMN_TYPES)) {
      statement.setString(1, SqlIdentifiers.qualified(table));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          types.put(rows.getString(1), new ColumnType(rows.getString(2), "A".equals(rows.getString(3))));
        }
      }
    }
    return types;
  }

  /** Column → type name ({@link ColumnType#name()}) of every live column of {@code table}. */
  public static Map<String, String> columnTypeNames(Connection connection, String table) throws SQLException {
    Map<String, String> names = new HashMap<>();
    columnTypes(connection, table).forEach((column, type) -> names.put(column, type.name()));
    return names;
  }
}
