package io.graphsync.activities.mapping;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads tables, columns, types and primary keys from the PostgreSQL catalog. A table name resolves as PostgreSQL
 * resolves it ({@code to_regclass}): schema-qualified, or through the search path.
 */
final class PostgresSchema {

  private static final String TABLE = """
      SELECT c.oid, n.nspname, c.relname, c.relkind, c.relreplident
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = to_regclass(?)""";

  /**
   * A domain counts as its base type; arrays have category A, enums kind e; an array's element type (again a domain
   * as its base type) is read too.
   */
  private static final String COLUMNS = """
      SELECT a.attname, et.typname, et.typtype, et.typcategory, elt.typname, elt.typtype
      FROM pg_attribute a
      JOIN pg_type t ON t.oid = a.atttypid
      JOIN pg_type et ON et.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
      LEFT JOIN pg_type el ON el.oid = et.typelem AND et.typcategory = 'A'
      LEFT JOIN pg_type elt ON elt.oid = CASE WHEN el.typtype = 'd' THEN el.typbasetype ELSE el.oid END
      WHERE a.attrelid = ?::oid AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum""";

  private static final String PRIMARY_KEY = """
      SELECT a.attname
      FROM pg_index i
      CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = ?::oid AND i.indisprimary
      ORDER BY k.ord""";

  private final Connection connection;
  private final Map<String, Optional<TableSchema>> cache = new HashMap<>();

  PostgresSchema(Connection connection) {
    this.connection = connection;
  }

  /** The table of that name, or empty when there is none (or the name is not a valid table name). */
  Optional<TableSchema> table(String name) throws SQLException {
    Optional<TableSchema> cached = cache.get(name);
    if (cached == null) {
      cached = read(name);
      cache.put(name, cached);
    }
    return cached;
  }

  private Optional<TableSchema> read(String name) throws SQLException {
    long oid;
    String qualifiedName;
    char kind;
    char replicaIdentity;
    try (PreparedStatement statement = connection.prepareStatement(TABLE)) {
      statement.setString(1, name);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        oid = row.getLong(1);
        qualifiedName = row.getString(2) + "." + row.getString(3);
        kind = row.getString(4).charAt(0);
        replicaIdentity = row.getString(5).charAt(0);
      }
    } catch (SQLException malformedName) {
      if ("42601".equals(malformedName.getSQLState()) || "42602".equals(malformedName.getSQLState())
          || "3F000".equals(malformedName.getSQLState())) {
        return Optional.empty();
      }
      throw malformedName;
    }
    return Optional.of(new TableSchema(oid, qualifiedName, kind, replicaIdentity, columns(oid), primaryKey(oid)));
  }

  private static final String REQUIRED_COLUMNS = """
      SELECT a.attname FROM pg_attribute a
      WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull AND NOT a.atthasdef
        AND a.attidentity = '' AND a.attgenerated = ''
      ORDER BY a.attnum""";

  /** The columns of a table that an INSERT must set: NOT NULL, without a default, not identity or generated. */
  List<String> requiredColumns(TableSchema table) throws SQLException {
    List<String> required = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(REQUIRED_COLUMNS)) {
      statement.setLong(1, table.oid());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          required.add(rows.getString(1));
        }
      }
    }
    return required;
  }

  private List<TableSchema.ColumnSchema> columns(long oid) throws SQLException {
    List<TableSchema.ColumnSchema> columns = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(COLUMNS)) {
      statement.setLong(1, oid);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          String elementKind = rows.getString(6);
          columns.add(new TableSchema.ColumnSchema(rows.getString(1), rows.getString(2),
              rows.getString(3).charAt(0), rows.getString(4).charAt(0), rows.getString(5),
              elementKind == null ? 0 : elementKind.charAt(0)));
        }
      }
    }
    return columns;
  }

  private List<String> primaryKey(long oid) throws SQLException {
    List<String> key = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(PRIMARY_KEY)) {
      statement.setLong(1, oid);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          key.add(rows.getString(1));
        }
      }
    }
    return key;
  }
}
