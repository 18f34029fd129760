package io.graphsync.starters.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the capture's replication slot from {@code pg_replication_slots} — retained WAL, the confirmed position's
 * lag behind {@code pg_current_wal_lsn()}, {@code wal_status}, {@code safe_wal_size} — and remembers when the slot
 * last confirmed a new position. One query on one kept connection, run by {@link PostgresCapture}'s slot thread
 * every {@link CaptureSettings#slotCheckInterval()}, never on the engine's thread; health and gauges read
 * {@link #last()}.
 */
final class CaptureSlotMonitor implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CaptureSlotMonitor.class);

  private static final String QUERY = """
      SELECT active, wal_status,
             (pg_current_wal_lsn() - restart_lsn)::bigint,
             (pg_current_wal_lsn() - confirmed_flush_lsn)::bigint,
             (confirmed_flush_lsn - '0/0'::pg_lsn)::bigint,
             safe_wal_size
      FROM pg_replication_slots WHERE slot_name = ?""";

  private final String jdbcUrl;
  private final Properties connectionProperties = new Properties();
  private final String slot;
  private final Clock clock;
  private final Object lock = new Object();

  private Connection connection;
  private Long lastConfirmed;
  private Instant progressAt;
  private volatile SlotStatus last;

  CaptureSlotMonitor(CaptureSettings settings, Clock clock) {
    this.jdbcUrl = settings.jdbcUrl();
    this.slot = settings.slotName();
    this.clock = clock;
    connectionProperties.setProperty("user", settings.user());
    connectionProperties.setProperty("password", settings.password());
    connectionProperties.setProperty("ApplicationName", "graphsync-capture-slot-monitor");
    connectionProperties.setProperty("connectTimeout", "5");
    connectionProperties.setProperty("socketTimeout", "10");
  }

  /** The last reading, if the slot was read since this instance became the leader. */
  Optional<SlotStatus> last() {
    return Optional.ofNullable(last);
  }

  /** Reads the slot now; never throws (an unreachable PostgreSQL is a reading with {@code readError}). */
  SlotStatus refresh() {
    synchronized (lock) {
      Instant now = clock.instant();
      SlotStatus status;
      try {
        status = read(now);
      } catch (SQLException e) {
        closeConnection();
        if (last == null || last.readable()) {
          log.warn("cannot read replication slot {}: {}", slot, e.getMessage());
        }
        status = SlotStatus.unreadable(now, e.getMessage());
      }
      last = status;
      return status;
    }
  }

  /** Forgets the slot's history: this instance no longer leads (another may confirm positions meanwhile). */
  void reset() {
    synchronized (lock) {
      last = null;
      lastConfirmed = null;
      progressAt = null;
      closeConnection();
    }
  }

  /**
   * Why an engine must not start on this slot, if it must not: the slot is lost ({@code wal_status = 'lost'}: it can
   * never stream again; Debezium would wait for it for half an hour), or it is gone although the capture has stored
   * offsets for it (it was dropped; Debezium would fail on the offsets that a new slot cannot serve, with a less
   * direct message). Empty when the slot is usable, or new (no offsets yet: Debezium creates it).
   */
  Optional<String> unusable(OffsetStorage offsets) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, connectionProperties)) {
      try (PreparedStatement q = c.prepareStatement(
          "SELECT wal_status FROM pg_replication_slots WHERE slot_name = ?")) {
        q.setString(1, slot);
        try (ResultSet r = q.executeQuery()) {
          if (r.next()) {
            return SlotStatus.LOST.equals(r.getString(1))
                ? Optional.of("replication slot " + slot + " is lost (wal_status = 'lost'): PostgreSQL removed WAL "
                    + "it still needed (max_slot_wal_keep_size)")
                : Optional.empty();
          }
        }
      }
      if (!(offsets instanceof OffsetStorage.PostgresTable table)) {
        return Optional.empty(); // a local offset file says nothing about this database's history
      }
      try (PreparedStatement q = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
        q.setString(1, table.table());
        try (ResultSet r = q.executeQuery()) {
          r.next();
          if (!r.getBoolean(1)) {
            return Optional.empty();
          }
        }
      }
      try (PreparedStatement q = c.prepareStatement(
          "SELECT EXISTS (SELECT 1 FROM " + table.table() + " WHERE slot_name = ?)")) {
        q.setString(1, slot);
        try (ResultSet r = q.executeQuery()) {
          r.next();
          return r.getBoolean(1)
              ? Optional.of("replication slot " + slot + " does not exist, but the capture has offsets for it: it "
                  + "was dropped, and the changes it held are lost to the capture")
              : Optional.empty();
        }
      }
    }
  }

  private SlotStatus read(Instant now) throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = DriverManager.getConnection(jdbcUrl, connectionProperties);
    }
    try (PreparedStatement q = connection.prepareStatement(QUERY)) {
      q.setString(1, slot);
      try (ResultSet r = q.executeQuery()) {
        if (!r.next()) {
          lastConfirmed = null;
          progressAt = null;
          return SlotStatus.absent(now);
        }
        boolean active = r.getBoolean(1);
        String walStatus = r.getString(2);
        long retained = longOr(r, 3, -1);
        long lag = longOr(r, 4, -1);
        Long confirmed = r.getObject(5) == null ? null : r.getLong(5);
        long safe = longOr(r, 6, -1);
        if (progressAt == null || confirmed == null || !confirmed.equals(lastConfirmed) || lag <= 0) {
          progressAt = now;
        }
        lastConfirmed = confirmed;
        return new SlotStatus(now, true, active, walStatus, retained, lag, safe, progressAt, null);
      }
    }
  }

  private static long longOr(ResultSet r, int column, long fallback) throws SQLException {
    long value = r.getLong(column);
    return r.wasNull() ? fallback : value;
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // it is gone either way
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    reset();
  }
}
