package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.workflows.sync.ChangeEvent;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DebeziumPropertiesTest {

  private static CaptureSettings.Builder settings() {
    return CaptureSettings.builder().host("db").port(5433).database("app").user("u").password("p")
        .mapping(ChangeRecords.MAPPING);
  }

  @Test
  void givenDefaults_whenBuilt_itCapturesOnlyTheMappedTablesThroughGraphsyncsOwnPublication() {
    CaptureSettings s = settings().build();

    Properties p = DebeziumProperties.of(s, new MappedTables(s.mapping(), s.defaultSchema()), "graphsync_pub");

    assertThat(p)
        .containsEntry("plugin.name", "pgoutput")
        .containsEntry("slot.name", "graphsync")
        .containsEntry("offset.mismatch.strategy", "trust_greater_lsn")
        .containsEntry("publication.name", "graphsync_pub")
        .containsEntry("publication.autocreate.mode", "disabled")
        .containsEntry("table.include.list",
            "public\\.content_item_concepts,public\\.content_items,public\\.tenants")
        .containsEntry("snapshot.mode", "no_data")
        .containsEntry("poll.interval.ms", "10")
        .containsEntry("heartbeat.interval.ms", "10000")
        .containsEntry("decimal.handling.mode", "string")
        .containsEntry("unavailable.value.placeholder", ChangeEvent.UNAVAILABLE_VALUE)
        .containsEntry("tombstones.on.delete", "false")
        .containsEntry("offset.storage", PostgresOffsetBackingStore.class.getName())
        .containsEntry(PostgresOffsetBackingStore.URL, "jdbc:postgresql://db:5433/app")
        .containsEntry(PostgresOffsetBackingStore.TABLE, "graphsync.capture_offsets")
        .containsEntry(PostgresOffsetBackingStore.SLOT, "graphsync");
  }

  @Test
  void givenFileOffsets_whenBuilt_itUsesKafkaConnectsFileStore() {
    CaptureSettings s = settings().offsetStorage(new OffsetStorage.LocalFile(Path.of("/var/lib/gs/offsets.dat")))
        .build();

    Properties p = DebeziumProperties.of(s, new MappedTables(s.mapping(), s.defaultSchema()), "graphsync_pub");

    assertThat(p)
        .containsEntry("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore")
        .containsEntry("offset.storage.file.filename", "/var/lib/gs/offsets.dat");
  }

  @Test
  void givenARenameThatDrains_whenBuilt_itStreamsFromThePublicationItIsGiven() {
    CaptureSettings s = settings().publicationName("graphsync_new").build();

    Properties p = DebeziumProperties.of(s, new MappedTables(s.mapping(), s.defaultSchema()), "graphsync_pub");

    assertThat(p).containsEntry("publication.name", "graphsync_pub");
  }

  @Test
  void givenSlotNameThatIsNoIdentifier_whenBuilt_itIsRejected() {
    assertThatThrownBy(() -> settings().slotName("graph-sync; DROP").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slotName");
  }
}
