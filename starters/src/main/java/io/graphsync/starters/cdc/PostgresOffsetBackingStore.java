package io.graphsync.starters.cdc;

import io.debezium.embedded.KafkaConnectUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;
import org.apache.kafka.connect.storage.OffsetUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Connect offset store in a PostgreSQL table, so that the capture's position lives beside its replication
 * slot and an instance on another machine that takes over the lease resumes from it. Debezium 3.6 ships no JDBC
 * offset store ({@code debezium-storage-jdbc} stops at 3.5), hence this one.
 *
 * <p>One row per slot and offset key, the key and the offset as their JSON text (readable by an operator):
 * {@code SELECT * FROM graphsync.capture_offsets}. The table is created on first start if it is missing. Writes
 * happen on the store's single executor thread, in one transaction per flush.
 *
 * <p>Configured through the engine properties {@link #URL}, {@link #USER}, {@link #PASSWORD}, {@link #TABLE} and
 * {@link #SLOT}; {@link PostgresCapture} sets them.
 */
public class PostgresOffsetBackingStore extends MemoryOffsetBackingStore {

  public static final String URL = "offset.storage.postgres.url";
  public static final String USER = "offset.storage.postgres.user";
  public static final String PASSWORD = "offset.storage.postgres.password";
  public static final String TABLE = "offset.storage.postgres.table";
  public static final String SLOT = "offset.storage.postgres.slot";

  private static final Logger log = LoggerFactory.getLogger(PostgresOffsetBackingStore.class);

  private final Converter keyConverter = KafkaConnectUtil.converterForOffsetStore();
  private final Map<String, Set<Map<String, Object>>> connectorPartitions = new HashMap<>();
  private String url;
  private Properties connectionProperties;
  private String table;
  private String slot;
  private Connection connection;

  /** Instantiated by the Debezium engine. */
  public PostgresOffsetBackingStore() {}

  @Override
  public void configure(WorkerConfig config) {
    super.configure(config);
    Map<String, String> properties = config.originalsStrings();
    url = required(properties, URL);
    table = new OffsetStorage.PostgresTable(required(properties, TABLE)).table();
    slot = required(properties, SLOT);
    connectionProperties = new Properties();
    connectionProperties.setProperty("user", required(properties, USER));
    connectionProperties.setProperty("password", required(properties, PASSWORD));
    connectionProperties.setProperty("ApplicationName", "graphsync-capture-offsets");
    connectionProperties.setProperty("connectTimeout", "10");
    connectionProperties.setProperty("socketTimeout", "60");
  }

  private static String required(Map<String, String> properties, String key) {
    String value = properties.get(key);
    if (value == null || value.isBlank()) {
      throw new ConnectException("missing offset store property " + key);
    }
    return value;
  }

  @Override
  public synchronized void start() {
    super.start();
    try {
      createTableIfMissing();
      load();
    } catch (SQLException e) {
      closeConnection();
      throw new ConnectException("cannot read capture offsets from " + table + ": " + e.getMessage(), e);
    }
    log.info("capture offsets of slot {} in table {}: {} key(s) loaded", slot, table, data.size());
  }

  @Override
  public synchronized void stop() {
    super.stop();
    closeConnection();
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = DriverManager.getConnection(url, connectionProperties);
      connection.setAutoCommit(false);
    }
    return connection;
  }

  private void createTableIfMissing() throws SQLException {
    Connection c = connection();
    try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      exists.setString(1, table);
      try (ResultSet result = exists.executeQuery()) {
        result.next();
        if (result.getBoolean(1)) {
          c.commit();
          return;
        }
      }
    }
    try (Statement ddl = c.createStatement()) {
      if (table.contains(".")) {
        ddl.execute("CREATE SCHEMA IF NOT EXISTS " + table.substring(0, table.indexOf('.')));
      }
      ddl.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
          + "slot_name text NOT NULL, "
          + "offset_key text NOT NULL, "
          + "offset_value text, "
          + "updated_at timestamptz NOT NULL DEFAULT now(), "
          + "PRIMARY KEY (slot_name, offset_key))");
      c.commit();
      log.info("created the capture offset table {}", table);
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }

  private void load() throws SQLException {
    Connection c = connection();
    Map<ByteBuffer, ByteBuffer> loaded = new HashMap<>();
    try (PreparedStatement select = c.prepareStatement(
        "SELECT offset_key, offset_value FROM " + table + " WHERE slot_name = ?")) {
      select.setString(1, slot);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          byte[] key = bytes(rows.getString(1));
          byte[] value = bytes(rows.getString(2));
          loaded.put(ByteBuffer.wrap(key), value == null ? null : ByteBuffer.wrap(value));
          OffsetUtils.processPartitionKey(key, value, keyConverter, connectorPartitions);
        }
      }
    }
    c.commit();
    data = loaded;
  }

  @Override
  protected void save() {
    try {
      Connection c = connection();
      try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + table
              + " (slot_name, offset_key, offset_value, updated_at) VALUES (?, ?, ?, now()) "
              + "ON CONFLICT (slot_name, offset_key) DO UPDATE SET offset_value = EXCLUDED.offset_value, "
              + "updated_at = EXCLUDED.updated_at");
           PreparedStatement delete = c.prepareStatement(
               "DELETE FROM " + table + " WHERE slot_name = ? AND offset_key = ?")) {
        for (Map.Entry<ByteBuffer, ByteBuffer> entry : data.entrySet()) {
          if (entry.getKey() == null) {
            continue;
          }
          byte[] key = array(entry.getKey());
          byte[] value = entry.getValue() == null ? null : array(entry.getValue());
          if (value == null) {
            delete.setString(1, slot);
            delete.setString(2, text(key));
            delete.addBatch();
          } else {
            upsert.setString(1, slot);
            upsert.setString(2, text(key));
            upsert.setString(3, text(value));
            upsert.addBatch();
          }
          OffsetUtils.processPartitionKey(key, value, keyConverter, connectorPartitions);
        }
        upsert.executeBatch();
        delete.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      closeConnection();
      throw new ConnectException("cannot write capture offsets to " + table + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Set<Map<String, Object>> connectorPartitions(String connectorName) {
    return connectorPartitions.getOrDefault(connectorName, Set.of());
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("closing the offset store connection failed", e);
      }
      connection = null;
    }
  }

  private static byte[] array(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }
}
