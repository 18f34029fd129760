package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.dev.PostgresServer;
import io.graphsync.testing.GraphsyncExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rejected changes are kept in real PostgreSQL, the table created when missing; a failure to keep one throws. */
@ExtendWith(GraphsyncExtension.class)
class PostgresRejectedChangesIT {

  @Test
  void givenAMalformedRecord_whenRecorded_itIsKeptWithPositionTopicAndError(PostgresServer postgres)
      throws Exception {
    String slot = "rejects_" + UUID.randomUUID().toString().replace("-", "");
    PostgresRejectedChanges rejects = new PostgresRejectedChanges(postgres.jdbcUrl(), postgres.settings().user(),
        postgres.settings().password(), slot);
    SourceRecord malformed = ChangeRecords.withoutKey(4711L);

    rejects.record(malformed, "CREATE of content_items at 4711 without key");
    rejects.record(malformed, "again");

    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.settings().user(),
        postgres.settings().password());
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT position, topic, error, record FROM "
             + "graphsync.capture_rejects WHERE slot_name = '" + slot + "' ORDER BY id")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).isEqualTo(4711L);
      assertThat(rows.getString(2)).isEqualTo(malformed.topic());
      assertThat(rows.getString(3)).isEqualTo("CREATE of content_items at 4711 without key");
      assertThat(rows.getString(4)).contains("4711");
      assertThat(rows.next()).isTrue();
      assertThat(rows.next()).isFalse();
    }
  }

  @Test
  void givenPostgresUnreachable_whenRecorded_itThrows(PostgresServer postgres) {
    PostgresRejectedChanges rejects = new PostgresRejectedChanges(
        "jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2", "nobody", "x", "slot");

    assertThatThrownBy(() -> rejects.record(ChangeRecords.withoutKey(1L), "no key"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("capture_rejects");
  }
}
