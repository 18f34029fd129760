package io.graphsync.starters.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Properties;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps rejected changes — malformed records, and starts Temporal rejected for good (their error begins with
 * {@code Temporal rejected the start}) — in {@code graphsync.capture_rejects}, next to the slot and the offsets
 * (graphsync's core migration V5 creates the table; the capture creates it too where the migrations are not run).
 * One short connection per reject: they are rare, and must not hold a connection open.
 */
final class PostgresRejectedChanges implements RejectedChanges {

  private static final Logger log = LoggerFactory.getLogger(PostgresRejectedChanges.class);

  /** The record's description is cut here (a composite key could be long). */
  static final int MAX_RECORD_LENGTH = 10_000;

  static final String TABLE = "graphsync.capture_rejects";

  private static final String DDL = """
      CREATE TABLE IF NOT EXISTS graphsync.capture_rejects (
        id           bigserial PRIMARY KEY,
        slot_name    text NOT NULL,
        position     bigint,
        topic        text,
        error        text NOT NULL,
        record       text,
        rejected_at  timestamptz NOT NULL DEFAULT now()
      )""";

  private final String url;
  private final Properties connectionProperties = new Properties();
  private final String slotName;
  private volatile boolean tableChecked;

  PostgresRejectedChanges(String url, String user, String password, String slotName) {
    this.url = url;
    this.slotName = slotName;
    connectionProperties.setProperty("user", user);
    if (password != null) {
      connectionProperties.setProperty("password", password);
    }
    connectionProperties.setProperty("ApplicationName", "graphsync-capture-rejects");
  }

  @Override
  public void record(SourceRecord record, String error) {
    try (Connection connection = DriverManager.getConnection(url, connectionProperties)) {
      if (!tableChecked) {
        // creating needs CREATE on the database and the schema, which a least-privilege capture role lacks (even
        // for IF NOT EXISTS): only when the table is missing (migrations not run)
        boolean exists;
        try (Statement check = connection.createStatement();
             ResultSet result = check.executeQuery("SELECT to_regclass('" + TABLE + "') IS NOT NULL")) {
          exists = result.next() && result.getBoolean(1);
        }
        if (!exists) {
          try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE SCHEMA IF NOT EXISTS graphsync");
            ddl.execute(DDL);
          }
        }
        tableChecked = true;
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
          + " (slot_name, position, topic, error, record) VALUES (?, ?, ?, ?, ?)")) {
        Long position = ChangeEventMapper.positionOf(record).orElse(null);
        insert.setString(1, slotName);
        if (position == null) {
          insert.setNull(2, Types.BIGINT);
        } else {
          insert.setLong(2, position);
        }
        insert.setString(3, record.topic());
        insert.setString(4, String.valueOf(error));
        insert.setString(5, truncate(describe(record)));
        insert.executeUpdate();
      }
    } catch (SQLException e) {
      log.error("could not keep the rejected change at topic {} in {}: the batch is not acknowledged", record.topic(),
          TABLE, e);
      throw new IllegalStateException("could not record a rejected change in " + TABLE + ": " + e.getMessage(), e);
    }
  }

  /**
   * What an operator needs to find the change, and no row values: the key (the primary key columns Debezium puts in
   * the record's key), the operation and the source position. The row itself stays in PostgreSQL, where
   * reconciliation reads it; a column the mapping excludes never lands here.
   */
  static String describe(SourceRecord record) {
    StringBuilder text = new StringBuilder("key=").append(record.key());
    if (record.value() instanceof Struct value && value.schema().field("op") != null) {
      text.append(" op=").append(value.get("op"));
      if (value.schema().field("source") != null && value.get("source") instanceof Struct source) {
        for (String field : new String[] {"lsn", "txId", "ts_ms"}) {
          if (source.schema().field(field) != null) {
            text.append(' ').append(field).append('=').append(source.get(field));
          }
        }
      }
    }
    return text.toString();
  }

  private static String truncate(String text) {
    return text.length() <= MAX_RECORD_LENGTH ? text : text.substring(0, MAX_RECORD_LENGTH) + "…";
  }
}
