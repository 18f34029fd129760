package io.graphsync.starters.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to run the capture of one replication slot: a PostgreSQL session advisory lock on
 * {@code hashtext('graphsync-capture:' || slot)}, held by a dedicated connection for as long as the capture runs.
 * PostgreSQL releases it when the connection ends, so a crashed holder cannot keep it. Not thread-safe: one
 * supervisor thread uses it.
 */
final class CaptureLease implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CaptureLease.class);
  private static final int VALIDATION_TIMEOUT_SECONDS = 5;

  private final String jdbcUrl;
  private final Properties connectionProperties;
  private final String lockName;
  private Connection connection;
  private boolean held;

  CaptureLease(String jdbcUrl, String user, String password, String slotName) {
    this.jdbcUrl = jdbcUrl;
    this.lockName = "graphsync-capture:" + slotName;
    this.connectionProperties = new Properties();
    connectionProperties.setProperty("user", user);
    connectionProperties.setProperty("password", password);
    connectionProperties.setProperty("ApplicationName", "graphsync-capture-lease");
    connectionProperties.setProperty("connectTimeout", "10");
    connectionProperties.setProperty("socketTimeout", "30");
    connectionProperties.setProperty("tcpKeepAlive", "true");
  }

  /** Takes the lease if it is free; true when this instance holds it afterwards. */
  boolean tryAcquire() throws SQLException {
    if (held && stillHeld()) {
      return true;
    }
    releaseQuietly();
    connection = DriverManager.getConnection(jdbcUrl, connectionProperties);
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
      lock.setString(1, lockName);
      try (ResultSet result = lock.executeQuery()) {
        held = result.next() && result.getBoolean(1);
      }
    }
    if (!held) {
      releaseQuietly();
    }
    return held;
  }

  /**
   * Whether the lease is still ours. A session advisory lock lives exactly as long as its session, so the lease is
   * held while the connection is alive.
   */
  boolean stillHeld() {
    if (!held || connection == null) {
      return false;
    }
    try {
      return connection.isValid(VALIDATION_TIMEOUT_SECONDS);
    } catch (SQLException e) {
      log.warn("capture lease check for {} failed: {}", lockName, e.getMessage());
      return false;
    }
  }

  boolean isHeld() {
    return held;
  }

  /** Releases the lease (unlocks and closes the connection). */
  void release() {
    if (connection != null && held) {
      try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
        unlock.setString(1, lockName);
        unlock.execute();
      } catch (SQLException e) {
        log.debug("unlocking {} failed; closing the connection releases it", lockName, e);
      }
    }
    releaseQuietly();
  }

  private void releaseQuietly() {
    held = false;
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("closing the lease connection failed", e);
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    release();
  }
}
