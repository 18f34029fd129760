package io.graphsync.activities.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.Sql;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.sync.SyncStatus;
import io.graphsync.workflows.sync.SyncStatusUpdate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(GraphsyncExtension.class)
class SyncStatusActivitiesIT {

  private static DataSource dataSource;
  private static Sql sql;
  private static SyncStatusActivitiesImpl activities;

  @BeforeAll
  static void migrate(Sql migrated) {
    sql = migrated;
    dataSource = migrated.dataSource();
    TableMapping tenants = new TableMapping("tenants", "Tenant", "id", "id", null, null, null, null, null);
    activities = new SyncStatusActivitiesImpl(dataSource, new GraphMapping(List.of(tenants), List.of()));
  }

  private static UUID insertTenant(String name) throws SQLException {
    UUID id = UUID.randomUUID();
    sql.execute("INSERT INTO tenants (id, name) VALUES (?, ?)", id, name);
    return id;
  }

  private record Row(long version, String status, int attempts, String error, String nodeId, boolean synced) {}

  private static Row row(UUID id) throws SQLException {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement("SELECT pg_version, sync_status, sync_attempts, "
             + "last_sync_error, neo4j_node_id, last_sync_timestamp IS NOT NULL FROM tenants WHERE id = ?")) {
      statement.setObject(1, id);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return new Row(rows.getLong(1), rows.getString(2), rows.getInt(3), rows.getString(4), rows.getString(5),
            rows.getBoolean(6));
      }
    }
  }

  @Test
  void givenSyncedVersion_whenRecordingSuccess_itMarksTheRowWithoutBumpingTheVersion() throws SQLException {
    UUID id = insertTenant("acme");

    boolean marked = activities.recordSyncStatus(
        new SyncStatusUpdate("tenants", id.toString(), 1, SyncStatus.SUCCESS, 2, null, "4:node:7"));

    assertThat(marked).isTrue();
    assertThat(row(id)).isEqualTo(new Row(1, "SUCCESS", 2, null, "4:node:7", true));
  }

  @Test
  void givenNewerPendingVersion_whenRecordingSuccessOfTheOlder_itLeavesTheRowPending() throws SQLException {
    UUID id = insertTenant("acme");
    sql.execute("UPDATE tenants SET name = 'acme corp' WHERE id = ?", id);
    assertThat(row(id).version()).isEqualTo(2);

    boolean marked = activities.recordSyncStatus(
        new SyncStatusUpdate("tenants", id.toString(), 1, SyncStatus.SUCCESS, 1, null, "4:node:7"));

    assertThat(marked).isFalse();
    assertThat(row(id)).isEqualTo(new Row(2, "PENDING", 0, null, null, false));
  }

  @Test
  void givenBusinessUpdate_whenTheTriggerRuns_itBumpsTheVersionAndMarksPendingAgain() throws SQLException {
    UUID id = insertTenant("acme");
    activities.recordSyncStatus(new SyncStatusUpdate("tenants", id.toString(), 1, SyncStatus.SUCCESS, 1, null, "n"));

    sql.execute("UPDATE tenants SET plan = 'pro' WHERE id = ?", id);
    sql.execute("UPDATE tenants SET sync_attempts = 5, last_sync_error = 'x' WHERE id = ?", id);

    Row row = row(id);
    assertThat(row.version()).isEqualTo(2);
    assertThat(row.status()).isEqualTo("PENDING");
  }

  @Test
  void givenFailure_whenRecordingFailed_itStoresAttemptsAndTheTruncatedError() throws SQLException {
    UUID id = insertTenant("acme");
    String longError = "InvalidData: " + "x".repeat(5000);

    activities.recordSyncStatus(
        new SyncStatusUpdate("tenants", id.toString(), 1, SyncStatus.FAILED, 10, longError, null));

    Row row = row(id);
    assertThat(row.status()).isEqualTo("FAILED");
    assertThat(row.attempts()).isEqualTo(10);
    assertThat(row.error()).hasSize(SyncStatusActivitiesImpl.MAX_ERROR_LENGTH).startsWith("InvalidData: ");
    assertThat(row.version()).isEqualTo(1);
  }

  @Test
  void givenAnExistingTable_whenEnablingSync_itAddsTheColumnsTriggerAndReplicaIdentity() throws SQLException {
    sql.execute("CREATE TABLE IF NOT EXISTS legacy_docs (id bigint PRIMARY KEY, title text)");
    sql.execute("SELECT graphsync.enable_sync('legacy_docs')");
    sql.execute("SELECT graphsync.enable_sync('legacy_docs')");
    sql.execute("INSERT INTO legacy_docs (id, title) VALUES (1, 'a') ON CONFLICT DO NOTHING");
    sql.execute("UPDATE legacy_docs SET title = 'b' WHERE id = 1");

    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement("SELECT d.pg_version, d.sync_status, "
             + "c.relreplident FROM legacy_docs d, pg_class c WHERE d.id = 1 AND c.relname = 'legacy_docs'");
         ResultSet rows = statement.executeQuery()) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(2);
      assertThat(rows.getString(2)).isEqualTo("PENDING");
      assertThat(rows.getString(3)).isEqualTo("f");
    }
  }

  @Test
  void givenTheVersionTrigger_whenComparedWithTheMapping_itIgnoresExactlyTheSyncColumns() throws SQLException {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement(
             "SELECT prosrc FROM pg_proc WHERE proname = 'bump_pg_version'");
         ResultSet rows = statement.executeQuery()) {
      rows.next();
      String source = rows.getString(1);
      java.util.regex.Matcher array = java.util.regex.Pattern.compile("ARRAY\\[([^\\]]*)\\]").matcher(source);
      assertThat(array.find()).isTrue();
      List<String> inTrigger = java.util.Arrays.stream(array.group(1).split(","))
          .map(column -> column.strip().replace("'", "")).toList();
      assertThat(inTrigger).containsExactlyElementsOf(GraphMapping.SYNC_COLUMNS);
    }
  }
}
