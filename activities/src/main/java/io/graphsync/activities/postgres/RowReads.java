package io.graphsync.activities.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Optional;

/**
 * Reads of one row by its key, plain or locked together with the WAL position a write of it may take. The SQL
 * ({@code SELECT ... WHERE key = ? [AND key2 = ?]}) comes from the caller, built from the validated mapping with
 * {@link SqlIdentifiers}; the keys are bound as untyped text, so PostgreSQL casts them to the key columns' types
 * (uuid, bigint, text, ...) and a key that is no value of its column fails with SQLState 22P02.
 */
public final class RowReads {

  /**
   * Just below where the next WAL record will go: past every record written so far (each ends at or before the insert
   * position, so starts well before it), and before every record still to come. As a long, the form of the capture's
   * positions.
   */
  static final String WAL_INSERT_POSITION = "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint - 1";

  private RowReads() {}

  /** Maps the current row of a result. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /**
   * A row read under its lock, with the WAL position taken while the lock was held.
   *
   * @param row the mapped row, or null when there was none
   * @param position {@link #walInsertPosition}: every change of the row committed before the read is in {@code row},
   *     every later one is written to the WAL after this position
   */
  public record Locked<T>(T row, long position) {

    public Optional<T> present() {
      return Optional.ofNullable(row);
    }
  }

  /** Binds {@code keys} to the first parameters of {@code statement}, untyped. */
  public static void bindKeys(PreparedStatement statement, List<String> keys) throws SQLException {
    bindKeys(statement, 1, keys);
  }

  /**
   * Binds {@code keys} to the parameters of {@code statement} from index {@code start} on, untyped, so PostgreSQL
   * casts the text to each key column's type (uuid, bigint, ...); returns the next parameter's index.
   */
  public static int bindKeys(PreparedStatement statement, int start, List<String> keys) throws SQLException {
    int index = start;
    for (String key : keys) {
      statement.setObject(index++, key, Types.OTHER);
    }
    return index;
  }

  /** The row {@code sql} selects by {@code keys}, mapped, or empty when there is none. */
  public static <T> Optional<T> readOne(Connection connection, String sql, List<String> keys, RowMapper<T> mapper)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bindKeys(statement, keys);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
      }
    }
  }

  /**
   * In one transaction: {@code sql + " FOR SHARE"} by {@code keys} (it waits for an open transaction that changed the
   * row, then reads the committed row), then the WAL insert position while the lock is held. A write of the row at
   * that position is never hidden by a change committed after the read: such a change has a later position.
   *
   * @param lockTimeout how long to wait for the row lock ({@code '20s'}), or null to wait as long as it takes
   */
  public static <T> Locked<T> readLocked(Connection connection, String sql, List<String> keys, String lockTimeout,
      RowMapper<T> mapper) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      if (lockTimeout != null) {
        setLockTimeout(connection, lockTimeout);
      }
      T row = readOne(connection, sql + " FOR SHARE", keys, mapper).orElse(null);
      long position = walInsertPosition(connection);
      connection.commit();
      return new Locked<>(row, position);
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** {@code SET LOCAL lock_timeout}: for the current transaction only. */
  public static void setLockTimeout(Connection connection, String lockTimeout) throws SQLException {
    if (!lockTimeout.matches("[0-9]+(ms|s|min)?")) {
      throw new IllegalArgumentException("not a lock timeout: '" + lockTimeout + "'");
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET LOCAL lock_timeout = '" + lockTimeout + "'");
    }
  }

  /** {@link #WAL_INSERT_POSITION}, read in the caller's transaction. */
  public static long walInsertPosition(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet result = statement.executeQuery(WAL_INSERT_POSITION)) {
      result.next();
      return result.getLong(1);
    }
  }
}
