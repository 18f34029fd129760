package io.graphsync.activities.status;

import static io.graphsync.activities.postgres.SqlIdentifiers.qualified;
import static io.graphsync.activities.postgres.SqlIdentifiers.quote;

import io.graphsync.activities.postgres.Catalog;
import io.graphsync.activities.postgres.PostgresFailures;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.sync.SyncStatusUpdate;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The sync-status write-back of many rows: one {@code UPDATE … FROM unnest(…)} per table, each row guarded by
 * {@code pg_version} exactly like {@link SyncStatusActivitiesImpl} (a newer pending version stays PENDING), bookkeeping
 * columns only (no new sync). Keys are cast to the key column's catalog type, so the primary key's index serves it.
 */
public final class BatchSyncStatus {

  private final DataSource dataSource;
  private final Map<String, TableMapping> tables = new LinkedHashMap<>();
  private final Map<String, String> keyTypes = new ConcurrentHashMap<>();

  public BatchSyncStatus(DataSource dataSource, GraphMapping mapping) {
    this.dataSource = dataSource;
    mapping.tables().forEach(table -> tables.put(table.table(), table));
  }

  /** Writes the updates; returns how many rows were marked. */
  public int write(List<SyncStatusUpdate> updates) {
    Map<String, List<SyncStatusUpdate>> byTable = new LinkedHashMap<>();
    for (SyncStatusUpdate update : updates) {
      if (!tables.containsKey(update.table())) {
        throw ApplicationFailure.newNonRetryableFailure("table " + update.table() + " is not a mapped entity table",
            FailureType.UNMAPPED_TABLE.type());
      }
      byTable.computeIfAbsent(update.table(), t -> new java.util.ArrayList<>()).add(update);
    }
    int marked = 0;
    try (Connection connection = dataSource.getConnection()) {
      for (Map.Entry<String, List<SyncStatusUpdate>> entry : byTable.entrySet()) {
        marked += write(connection, tables.get(entry.getKey()), entry.getValue());
      }
    } catch (SQLException e) {
      throw PostgresFailures.failure("writing the sync status of " + updates.size() + " rows back to PostgreSQL", e);
    }
    return marked;
  }

  private int write(Connection connection, TableMapping table, List<SyncStatusUpdate> updates) throws SQLException {
    String sql = "UPDATE " + qualified(table.table()) + " AS t SET sync_status = v.status, "
        + "sync_attempts = v.attempts, last_sync_error = v.error, last_sync_timestamp = now(), "
        + "neo4j_node_id = coalesce(v.node, t.neo4j_node_id) "
        + "FROM unnest(CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS int[]), "
        + "CAST(? AS text[]), CAST(? AS text[])) AS v(key, version, status, attempts, error, node) "
        + "WHERE t." + quote(table.key()) + " = CAST(v.key AS " + keyType(connection, table)
        + ") AND t.pg_version = v.version";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setArray(1, connection.createArrayOf("text",
          updates.stream().map(SyncStatusUpdate::entityId).toArray()));
      statement.setArray(2, connection.createArrayOf("bigint",
          updates.stream().map(SyncStatusUpdate::version).toArray()));
      statement.setArray(3, connection.createArrayOf("text",
          updates.stream().map(u -> u.status().name()).toArray()));
      statement.setArray(4, connection.createArrayOf("integer",
          updates.stream().map(SyncStatusUpdate::attempts).toArray()));
      statement.setArray(5, connection.createArrayOf("text",
          updates.stream().map(u -> SyncStatusActivitiesImpl.truncate(u.error())).toArray()));
      statement.setArray(6, connection.createArrayOf("text",
          updates.stream().map(SyncStatusUpdate::nodeId).toArray()));
      return statement.executeUpdate();
    }
  }

  private String keyType(Connection connection, TableMapping table) throws SQLException {
    String known = keyTypes.get(table.table());
    if (known != null) {
      return known;
    }
    String type = Catalog.columnTypeNames(connection, table.table()).get(table.key());
    if (type == null) {
      throw new IllegalStateException("key column " + table.key() + " of " + table.table() + " not found");
    }
    keyTypes.put(table.table(), type);
    return type;
  }
}
