package io.graphsync.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresServerIT {

  private static Connection connect(PostgresServer postgres, String password) throws SQLException {
    return DriverManager.getConnection(postgres.jdbcUrl(), postgres.settings().user(), password);
  }

  @Test
  void givenStartedServer_whenQueried_itRunsWithLogicalWal(PostgresServer postgres) throws SQLException {
    try (Connection connection = connect(postgres, postgres.settings().password());
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(
             "SELECT current_setting('wal_level'), current_setting('synchronous_commit'), "
                 + "current_setting('max_replication_slots')::int, current_setting('max_wal_senders')::int")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("logical");
      assertThat(rows.getString(2)).isEqualTo("on");
      assertThat(rows.getInt(3)).isGreaterThanOrEqualTo(4);
      assertThat(rows.getInt(4)).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void givenLogicalWal_whenCreatingAPgoutputSlot_itDecodesACommittedChange(PostgresServer postgres)
      throws SQLException {
    try (Connection connection = connect(postgres, postgres.settings().password());
         Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS slot_probe (id int PRIMARY KEY, name text)");
      statement.execute("DROP PUBLICATION IF EXISTS slot_probe_pub");
      statement.execute("CREATE PUBLICATION slot_probe_pub FOR TABLE slot_probe");
      statement.execute("SELECT pg_create_logical_replication_slot('slot_probe', 'pgoutput')");
      try (ResultSet slot = statement.executeQuery(
          "SELECT plugin, slot_type FROM pg_replication_slots WHERE slot_name = 'slot_probe'")) {
        assertThat(slot.next()).isTrue();
        assertThat(slot.getString("plugin")).isEqualTo("pgoutput");
        assertThat(slot.getString("slot_type")).isEqualTo("logical");
      }
      try {
        statement.execute("INSERT INTO slot_probe VALUES (1, 'first')");
        try (ResultSet changes = statement.executeQuery(
            "SELECT count(*) FROM pg_logical_slot_peek_binary_changes('slot_probe', NULL, NULL, "
                + "'proto_version', '1', 'publication_names', 'slot_probe_pub')")) {
          changes.next();
          // BEGIN, RELATION, INSERT, COMMIT
          assertThat(changes.getInt(1)).isGreaterThanOrEqualTo(3);
        }
      } finally {
        statement.execute("SELECT pg_drop_replication_slot('slot_probe')");
      }
    }
  }

  @Test
  void givenWrongPassword_whenConnecting_itIsRejected(PostgresServer postgres) {
    assertThatThrownBy(() -> connect(postgres, "not-the-password").close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
  }
}
