package io.graphsync.starters.cdc;

import static io.graphsync.starters.cdc.ChangeRecords.COMMIT;
import static io.graphsync.starters.cdc.ChangeRecords.CONCEPT_ID;
import static io.graphsync.starters.cdc.ChangeRecords.ITEM_ID;
import static io.graphsync.starters.cdc.ChangeRecords.TENANT_ID;
import static io.graphsync.starters.cdc.ChangeRecords.contentItem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.data.Envelope;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class ChangeEventMapperTest {

  private final ChangeEventMapper mapper = new ChangeEventMapper(ChangeRecords.MAPPING, "public");

  @Test
  void givenInsert_whenMapped_itIsACreateWithTheRowPositionAndCommitTime() {
    ChangeEvent event = mapper.map(ChangeRecords.create(contentItem(1, "PENDING", "First"), 1000L)).orElseThrow();

    assertThat(event.eventType()).isEqualTo(EventType.CREATE);
    assertThat(event.eventId()).isEqualTo("content_items/" + ITEM_ID + "/1000");
    assertThat(event.workflowId()).isEqualTo("sync/ContentItem/" + ITEM_ID + "/1000");
    assertThat(event.correlationId()).isEqualTo("4711");
    assertThat(event.entityType()).isEqualTo("ContentItem");
    assertThat(event.entityId()).isEqualTo(ITEM_ID);
    assertThat(event.tenantId()).isEqualTo(TENANT_ID);
    assertThat(event.timestamp()).isEqualTo(COMMIT);
    assertThat(event.version()).isEqualTo(1L);
    assertThat(event.position()).isEqualTo(1000L);
    assertThat(event.table()).isEqualTo("content_items");
    assertThat(event.source()).isEqualTo(EventSource.POSTGRES);
    assertThat(event.userId()).isNull();
    assertThat(event.previousData()).isNull();
    assertThat(event.data()).containsEntry("title", "First").containsEntry("pg_version", 1L);
  }

  @Test
  void givenColumnsOfEveryKind_whenMapped_theyAreJsonFriendly() {
    Map<String, Object> data =
        mapper.map(ChangeRecords.create(contentItem(1, "PENDING", "First"), 1000L)).orElseThrow().data();

    assertThat(data)
        .containsEntry("id", ITEM_ID)
        .containsEntry("metadata", "{\"lang\": \"en\"}")
        .containsEntry("score", "12.3400")
        .containsEntry("tags", List.of("a", "b"))
        .containsEntry("thumbnail", "AQID")
        .containsEntry("created_at", "2026-11-25T10:00:00.000001Z")
        .containsEntry("published_on", "2024-10-04")
        .containsEntry("reviewed_at", "2023-11-14T22:13:20.123456")
        .containsEntry("neo4j_node_id", null);
  }

  @Test
  void givenSnapshotRead_whenMapped_itIsACreate() {
    Optional<ChangeEvent> event = mapper.map(ChangeRecords.read(contentItem(3, "SUCCESS", "Old"), 900L));

    assertThat(event).get().extracting(ChangeEvent::eventType).isEqualTo(EventType.CREATE);
  }

  @Test
  void givenBusinessUpdate_whenMapped_itIsAnUpdateWithBothImages() {
    ChangeEvent event = mapper.map(ChangeRecords.update(
        contentItem(1, "SUCCESS", "First"), contentItem(2, "PENDING", "Renamed"), 2000L)).orElseThrow();

    assertThat(event.eventType()).isEqualTo(EventType.UPDATE);
    assertThat(event.version()).isEqualTo(2L);
    assertThat(event.data()).containsEntry("title", "Renamed");
    assertThat(event.previousData()).containsEntry("title", "First").containsEntry("pg_version", 1L);
  }

  @Test
  void givenUpdateOfSyncColumnsOnly_whenMapped_itIsDropped() {
    Struct before = contentItem(7, "PENDING", "Same");
    Struct after = contentItem(7, "SUCCESS", "Same")
        .put("sync_attempts", 1)
        .put("last_sync_timestamp", "2026-11-25T10:16:00Z")
        .put("neo4j_node_id", "4:abc:1");

    assertThat(mapper.map(ChangeRecords.update(before, after, 3000L))).isEmpty();
  }

  @Test
  void givenUpdateWithToastedColumn_whenMapped_thePlaceholderIsKept() {
    Struct before = contentItem(1, "SUCCESS", "First");
    Struct after = contentItem(2, "PENDING", "Renamed").put("body", ChangeEvent.UNAVAILABLE_VALUE);

    ChangeEvent event = mapper.map(ChangeRecords.update(before, after, 4000L)).orElseThrow();

    assertThat(event.data()).containsEntry("body", ChangeEvent.UNAVAILABLE_VALUE);
    assertThat(event.previousData()).containsEntry("body", "a long body");
  }

  @Test
  void givenSyncColumnsOnlyUpdateOfARowWithToastedColumns_whenMapped_itIsDropped() {
    Struct before = contentItem(4, "PENDING", "Same");
    Struct after = contentItem(4, "SUCCESS", "Same")
        .put("body", ChangeEvent.UNAVAILABLE_VALUE)
        .put("tags", List.of(ChangeEvent.UNAVAILABLE_VALUE))
        .put("thumbnail", ChangeEvent.UNAVAILABLE_VALUE.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(mapper.map(ChangeRecords.update(before, after, 4100L))).isEmpty();
  }

  @Test
  void givenToastedArrayAndBytes_whenMapped_theyBecomeThePlaceholderString() {
    Struct after = contentItem(1, "PENDING", "First")
        .put("tags", List.of(ChangeEvent.UNAVAILABLE_VALUE))
        .put("thumbnail", ChangeEvent.UNAVAILABLE_VALUE.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    Map<String, Object> data = mapper.map(ChangeRecords.create(after, 4200L)).orElseThrow().data();

    assertThat(data)
        .containsEntry("tags", ChangeEvent.UNAVAILABLE_VALUE)
        .containsEntry("thumbnail", ChangeEvent.UNAVAILABLE_VALUE);
  }

  @Test
  void givenDelete_whenMapped_itCarriesThePreviousImageOnly() {
    ChangeEvent event = mapper.map(ChangeRecords.delete(contentItem(5, "SUCCESS", "Gone"), 5000L)).orElseThrow();

    assertThat(event.eventType()).isEqualTo(EventType.DELETE);
    assertThat(event.entityId()).isEqualTo(ITEM_ID);
    assertThat(event.tenantId()).isEqualTo(TENANT_ID);
    assertThat(event.version()).isEqualTo(5L);
    assertThat(event.data()).isNull();
    assertThat(event.previousData()).containsEntry("title", "Gone");
  }

  @Test
  void givenJoinTableRow_whenMapped_itIsTheRelationshipWithACompositeId() {
    Envelope envelope = ChangeRecords.envelope(ChangeRecords.ITEM_CONCEPT, "content_item_concepts");
    SourceRecord record = ChangeRecords.record("content_item_concepts", envelope,
        envelope.create(ChangeRecords.itemConcept("0.5000"), ChangeRecords.source("content_item_concepts", 6000L),
            COMMIT));

    ChangeEvent event = mapper.map(record).orElseThrow();

    assertThat(event.entityType()).isEqualTo("MENTIONS");
    assertThat(event.entityId()).isEqualTo(ITEM_ID + "|" + CONCEPT_ID);
    assertThat(event.eventId()).isEqualTo("content_item_concepts/" + ITEM_ID + "|" + CONCEPT_ID + "/6000");
    assertThat(event.tenantId()).isEqualTo(TENANT_ID);
    assertThat(event.version()).isNull();
    assertThat(event.table()).isEqualTo("content_item_concepts");
    assertThat(event.data()).containsEntry("weight", "0.5000");
  }

  @Test
  void givenJoinTableUpdateOfAProperty_whenMapped_itIsKept() {
    Envelope envelope = ChangeRecords.envelope(ChangeRecords.ITEM_CONCEPT, "content_item_concepts");
    SourceRecord record = ChangeRecords.record("content_item_concepts", envelope,
        envelope.update(ChangeRecords.itemConcept("0.5000"), ChangeRecords.itemConcept("0.9000"),
            ChangeRecords.source("content_item_concepts", 6100L), COMMIT));

    assertThat(mapper.map(record)).get().extracting(ChangeEvent::eventType).isEqualTo(EventType.UPDATE);
  }

  @Test
  void givenHeartbeat_whenMapped_itIsIgnored() {
    Schema key = SchemaBuilder.struct().name("io.debezium.connector.common.ServerNameKey")
        .field("serverName", Schema.STRING_SCHEMA).build();
    Schema value = SchemaBuilder.struct().name(ChangeEventMapper.HEARTBEAT_SCHEMA)
        .field("ts_ms", Schema.INT64_SCHEMA).build();
    SourceRecord heartbeat = new SourceRecord(Map.of("server", "graphsync"), Map.of("lsn", 7000L),
        "__debezium-heartbeat.graphsync", key, new Struct(key).put("serverName", "graphsync"), value,
        new Struct(value).put("ts_ms", COMMIT.toEpochMilli()));

    assertThat(mapper.map(heartbeat)).isEmpty();
  }

  @Test
  void givenTombstone_whenMapped_itIsIgnored() {
    SourceRecord tombstone = new SourceRecord(Map.of("server", "graphsync"), Map.of("lsn", 8000L),
        "graphsync.public.content_items", null, null, null, null);

    assertThat(mapper.map(tombstone)).isEmpty();
  }

  @Test
  void givenUnmappedTable_whenMapped_itIsIgnored() {
    Envelope envelope = ChangeRecords.envelope(ChangeRecords.CONTENT_ITEM, "audit_log");
    SourceRecord record = ChangeRecords.record("audit_log", envelope,
        envelope.create(contentItem(1, "PENDING", "x"), ChangeRecords.source("audit_log", 9000L), COMMIT));

    assertThat(mapper.map(record)).isEmpty();
    assertThat(mapper.map(record)).isEmpty(); // warned once, ignored always
  }

  @Test
  void givenRowWithoutKeyValue_whenMapped_itIsMalformedWithItsPosition() {
    SourceRecord record = ChangeRecords.withoutKey(9100L);

    assertThatThrownBy(() -> mapper.map(record))
        .isInstanceOfSatisfying(MalformedChangeException.class, e -> assertThat(e.position()).isEqualTo(9100L))
        .hasMessageContaining("key column id");
  }

  @Test
  void givenUpdateWithoutBeforeImage_whenMapped_itIsKept() {
    ChangeEvent event = mapper.map(ChangeRecords.update(null, contentItem(7, "SUCCESS", "Same"), 9200L))
        .orElseThrow();

    assertThat(event.eventType()).isEqualTo(EventType.UPDATE);
    assertThat(event.previousData()).isNull();
  }
}
