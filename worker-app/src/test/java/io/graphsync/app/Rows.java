package io.graphsync.app;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Plain JDBC for the integration tests: one statement, positional arguments. */
final class Rows {

  private Rows() {}

  /** Runs an INSERT, UPDATE or DELETE; returns the rows it touched. */
  static int execute(DataSource dataSource, String sql, Object... args) throws SQLException {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = prepare(connection, sql, args)) {
      return statement.executeUpdate();
    }
  }

  /** The first column of the first row, as a long (e.g. a {@code count(*)}); 0 when the query returns no row. */
  static long count(DataSource dataSource, String sql, Object... args) throws SQLException {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = prepare(connection, sql, args);
         ResultSet rows = statement.executeQuery()) {
      return rows.next() ? rows.getLong(1) : 0;
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
