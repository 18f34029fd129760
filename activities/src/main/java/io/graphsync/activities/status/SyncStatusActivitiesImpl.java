package io.graphsync.activities.status;

import static io.graphsync.activities.postgres.SqlIdentifiers.qualified;
import static io.graphsync.activities.postgres.SqlIdentifiers.quote;

import io.graphsync.activities.postgres.PostgresFailures;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.sync.SyncStatusActivities;
import io.graphsync.workflows.sync.SyncStatusUpdate;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Marks a source row with its sync outcome, guarded by {@code pg_version}: only the version that was synced is
 * marked, so a newer pending change stays PENDING. The UPDATE touches bookkeeping columns only, which the version
 * trigger ignores and the capture drops, so the write-back never causes another sync.
 */
public class SyncStatusActivitiesImpl implements SyncStatusActivities {

  /** Longer errors are cut: the column is for operators, the full failure is in the workflow history. */
  static final int MAX_ERROR_LENGTH = 2000;

  private final DataSource dataSource;
  private final Map<String, String> statements;

  public SyncStatusActivitiesImpl(DataSource dataSource, GraphMapping mapping) {
    this.dataSource = dataSource;
    this.statements = mapping.tables().stream()
        .collect(Collectors.toUnmodifiableMap(TableMapping::table, SyncStatusActivitiesImpl::updateSql));
  }

  /** The guarded UPDATE for one table; identifiers come from the validated mapping, never from the event. */
  static String updateSql(TableMapping table) {
    return "UPDATE " + qualified(table.table()) + " SET sync_status = ?, sync_attempts = ?, last_sync_error = ?, "
        + "last_sync_timestamp = now(), neo4j_node_id = coalesce(?, neo4j_node_id) "
        + "WHERE " + quote(table.key()) + " = ? AND pg_version = ?";
  }



  @Override
  public boolean recordSyncStatus(SyncStatusUpdate update) {
    String sql = statements.get(update.table());
    if (sql == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "table " + update.table() + " is not a mapped entity table", FailureType.UNMAPPED_TABLE.type());
    }
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, update.status().name());
      statement.setInt(2, update.attempts());
      statement.setString(3, truncate(update.error()));
      statement.setString(4, update.nodeId());
      // untyped, so PostgreSQL casts the text to the key column's type (uuid, bigint, ...)
      statement.setObject(5, update.entityId(), Types.OTHER);
      statement.setLong(6, update.version());
      return statement.executeUpdate() == 1;
    } catch (SQLException e) {
      throw PostgresFailures.failure("writing the sync status of " + update.table() + " '" + update.entityId()
          + "' back to PostgreSQL", e);
    }
  }

  static String truncate(String error) {
    return error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
  }
}
