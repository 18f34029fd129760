package io.graphsync.testing;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Plain JDBC for tests: one statement per call on its own connection, positional arguments ({@code ?}). */
public final class Sql {

  private final DataSource dataSource;

  public Sql(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Connection connect() throws SQLException {
    return dataSource.getConnection();
  }

  /** Runs any statement (DDL, DML, a {@code SELECT f()}); returns the rows an INSERT, UPDATE or DELETE touched. */
  public int execute(String sql, Object... args) throws SQLException {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = prepare(connection, sql, args)) {
      return statement.execute() ? 0 : Math.max(statement.getUpdateCount(), 0);
    }
  }

  /** Every row, as column label → value, in the query's column order; SQL arrays as Java arrays. */
  public List<Map<String, Object>> query(String sql, Object... args) throws SQLException {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = prepare(connection, sql, args);
         ResultSet rows = statement.executeQuery()) {
      ResultSetMetaData columns = rows.getMetaData();
      List<Map<String, Object>> result = new ArrayList<>();
      while (rows.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= columns.getColumnCount(); i++) {
          Object value = rows.getObject(i);
          row.put(columns.getColumnLabel(i), value instanceof Array array ? array.getArray() : value);
        }
        result.add(row);
      }
      return result;
    }
  }

  /** The first row, if any. */
  public Optional<Map<String, Object>> row(String sql, Object... args) throws SQLException {
    return query(sql, args).stream().findFirst();
  }

  /** The first column of the first row; null when there is no row (or the value is NULL). */
  public Object value(String sql, Object... args) throws SQLException {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = prepare(connection, sql, args);
         ResultSet rows = statement.executeQuery()) {
      return rows.next() ? rows.getObject(1) : null;
    }
  }

  /** The first column of the first row as text; null when there is no row (or the value is NULL). */
  public String text(String sql, Object... args) throws SQLException {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = prepare(connection, sql, args);
         ResultSet rows = statement.executeQuery()) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  /** The first column of the first row as a long (e.g. a {@code count(*)}); 0 when there is no row. */
  public long count(String sql, Object... args) throws SQLException {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = prepare(connection, sql, args);
         ResultSet rows = statement.executeQuery()) {
      return rows.next() ? rows.getLong(1) : 0;
    }
  }

  /** The current WAL insert position as a number: where a change committed now would be captured. */
  public long walInsertPosition() throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      return walInsertPosition(connection);
    }
  }

  /** The WAL insert position as the connection sees it (e.g. inside its open transaction). */
  public static long walInsertPosition(Connection connection) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint");
         ResultSet rows = query.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      statement.setObject(i + 1, args[i]);
    }
    return statement;
  }
}
