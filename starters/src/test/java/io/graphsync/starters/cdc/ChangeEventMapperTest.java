package io.graphsync.starters.cdc;

import static io.graphsync.starters.cdc.ChangeRecords.COMMIT;
import static io.graphsync.starters.cdc.ChangeRecords.CONCEPT_ID;
import static io.graphsync.starters.cdc.ChangeRecords.ITEM_ID;
import static io.graphsync.starters.cdc.ChangeRecords.MESSAGE_ID;
import static io.graphsync.starters.cdc.ChangeRecords.TENANT_ID;
import static io.graphsync.starters.cdc.ChangeRecords.contentItem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.data.Envelope;
import io.graphsync.workflows.mapping.Direction;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.RelationshipMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.LinkedHashMap;
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
        .containsEntry("pg_version", 1L)
        .doesNotContainKeys("neo4j_node_id", "sync_status", "sync_attempts");
  }

  @Test
  void givenAResolvedMappingWithAnExcludedColumn_whenMapped_onlyTheMappedColumnsReachTheEvent() {
    GraphMapping resolved = new GraphMapping(List.of(new TableMapping("content_items", "ContentItem", "id",
        "tenant_id", List.of("title", "body"), List.of("body"), null, null,
        List.of(new RelationshipMapping("message_id", "messages", "EXTRACTED_FROM", Direction.OUTGOING)))), null);
    ChangeEventMapper resolvedMapper = new ChangeEventMapper(resolved, "public");

    ChangeEvent event = resolvedMapper.map(ChangeRecords.update(
        contentItem(1, "SUCCESS", "First"), contentItem(2, "PENDING", "Renamed"), 2000L)).orElseThrow();

    assertThat(event.data()).containsOnlyKeys("id", "tenant_id", "message_id", "title", "pg_version");
    assertThat(event.previousData()).containsOnlyKeys("id", "tenant_id", "message_id", "title", "pg_version");
  }

  @Test
  void givenAMappingWithoutIncludeButWithAnExclude_whenMapped_theExcludedColumnIsLeftOut() {
    GraphMapping excluding = new GraphMapping(List.of(new TableMapping("content_items", "ContentItem", "id",
        "tenant_id", null, List.of("thumbnail"), null, null, null)), null);

    ChangeEvent event = new ChangeEventMapper(excluding, "public")
        .map(ChangeRecords.create(contentItem(1, "PENDING", "First"), 1000L)).orElseThrow();

    assertThat(event.data()).doesNotContainKey("thumbnail").containsEntry("title", "First");
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

  @Test
  void givenChangeOverThePayloadLimit_whenMapped_itKeepsOnlyKeyTenantForeignKeysAndVersion() {
    ChangeEventMapper limited = new ChangeEventMapper(ChangeRecords.MAPPING, "public", 4096);
    Struct before = contentItem(1, "SUCCESS", "First").put("body", "x".repeat(3000));
    Struct after = contentItem(2, "PENDING", "Renamed").put("body", "y".repeat(3000));

    ChangeEvent event = limited.map(ChangeRecords.update(before, after, 10_000L)).orElseThrow();

    assertThat(event.dataOmitted()).isTrue();
    Map<String, Object> retained = new LinkedHashMap<>();
    retained.put("id", ITEM_ID);
    retained.put("tenant_id", TENANT_ID);
    retained.put("message_id", MESSAGE_ID);
    retained.put("pg_version", 2L);
    assertThat(event.data()).containsExactlyEntriesOf(retained);
    retained.put("pg_version", 1L);
    assertThat(event.previousData()).containsExactlyEntriesOf(retained);
    assertThat(event.eventId()).isEqualTo("content_items/" + ITEM_ID + "/10000");
    assertThat(event.entityId()).isEqualTo(ITEM_ID);
    assertThat(event.tenantId()).isEqualTo(TENANT_ID);
    assertThat(event.version()).isEqualTo(2L);
    assertThat(event.eventType()).isEqualTo(EventType.UPDATE);
  }

  @Test
  void givenChangeOfExactlyTheLimit_whenMapped_itKeepsItsData() {
    SourceRecord record = ChangeRecords.update(contentItem(1, "SUCCESS", "First"), contentItem(2, "PENDING", "B"),
        10_100L);
    ChangeEvent whole = mapper.map(record).orElseThrow();
    int size = Math.toIntExact(ChangeEventMapper.PayloadSize.json(whole.data())
        + ChangeEventMapper.PayloadSize.json(whole.previousData()));

    ChangeEvent atTheLimit = new ChangeEventMapper(ChangeRecords.MAPPING, "public", size).map(record).orElseThrow();
    ChangeEvent overIt = new ChangeEventMapper(ChangeRecords.MAPPING, "public", size - 1).map(record).orElseThrow();

    assertThat(atTheLimit.dataOmitted()).isFalse();
    assertThat(atTheLimit).isEqualTo(whole);
    assertThat(overIt.dataOmitted()).isTrue();
    assertThat(overIt.data()).containsOnlyKeys("id", "tenant_id", "message_id", "pg_version");
  }

  @Test
  void givenDeleteOverThePayloadLimit_whenMapped_itsPreviousDataKeepsTheKey() {
    ChangeEventMapper limited = new ChangeEventMapper(ChangeRecords.MAPPING, "public", 1024);
    Struct before = contentItem(5, "SUCCESS", "Gone").put("body", "z".repeat(2000));

    ChangeEvent event = limited.map(ChangeRecords.delete(before, 10_200L)).orElseThrow();

    assertThat(event.dataOmitted()).isTrue();
    assertThat(event.data()).isNull();
    assertThat(event.previousData()).containsOnlyKeys("id", "tenant_id", "message_id", "pg_version")
        .containsEntry("id", ITEM_ID);
    assertThat(event.version()).isEqualTo(5L);
  }

  @Test
  void givenJoinTableRowOverThePayloadLimit_whenMapped_itKeepsBothKeysAndTheTenant() {
    ChangeEventMapper limited = new ChangeEventMapper(ChangeRecords.MAPPING, "public", 64);
    Envelope envelope = ChangeRecords.envelope(ChangeRecords.ITEM_CONCEPT, "content_item_concepts");
    SourceRecord record = ChangeRecords.record("content_item_concepts", envelope,
        envelope.create(ChangeRecords.itemConcept("0.5000"), ChangeRecords.source("content_item_concepts", 10_300L),
            COMMIT));

    ChangeEvent event = limited.map(record).orElseThrow();

    assertThat(event.dataOmitted()).isTrue();
    assertThat(event.entityId()).isEqualTo(ITEM_ID + "|" + CONCEPT_ID);
    assertThat(event.data()).containsOnlyKeys("content_item_id", "concept_id", "tenant_id");
  }

  @Test
  void givenChangeUnderTheLimit_whenMapped_itIsWholeAndNotOmitted() {
    ChangeEvent event = mapper.map(ChangeRecords.create(contentItem(1, "PENDING", "First"), 10_400L)).orElseThrow();

    assertThat(event.dataOmitted()).isFalse();
    assertThat(event.data()).containsEntry("body", "a long body").containsEntry("title", "First");
  }

  @Test
  void givenNonPositiveLimit_whenMapperBuilt_itIsRejected() {
    assertThatThrownBy(() -> new ChangeEventMapper(ChangeRecords.MAPPING, "public", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givenRowOfAnyText_whenMeasured_itIsTheSizeOfTemporalsPayloadAndUnderTheBound() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("ascii", "plain text");
    row.put("escapes", "quote \" backslash \\ newline \n tab \t bell \u0007");
    row.put("unicode", "Grüße, 日本語, emoji \uD83D\uDE00");
    row.put("number", 12L);
    row.put("double", -1.7976931348623157E308);
    row.put("flag", true);
    row.put("none", null);
    row.put("list", List.of("a", 1, 2.5));
    row.put("map", Map.of("k", "v"));

    long exact = ChangeEventMapper.PayloadSize.json(row);

    assertThat(exact).isEqualTo(
        DefaultDataConverter.STANDARD_INSTANCE.toPayload(row).orElseThrow().getData().size());
    assertThat(ChangeEventMapper.PayloadSize.upperBound(row)).isGreaterThanOrEqualTo(exact);
    assertThat(ChangeEventMapper.PayloadSize.json(null)).isZero();
  }

  @Test
  void givenARowTheBackflowWrote_whenMapped_itsSourceIsNeo4jAndOnlyThatWrite() {
    Map<String, Object> written = new LinkedHashMap<>(Map.of("id", "c-1", "name", "x", "sync_origin", "neo4j:3"));
    Map<String, Object> before = new LinkedHashMap<>(Map.of("id", "c-1", "name", "w", "sync_origin", "neo4j:2"));
    Map<String, Object> cleared = new LinkedHashMap<>(Map.of("id", "c-1", "name", "y"));

    assertThat(ChangeEventMapper.writtenByBackflow(EventType.CREATE, null, written)).isTrue();
    assertThat(ChangeEventMapper.writtenByBackflow(EventType.UPDATE, before, written)).isTrue();
    // the application's update after it: the trigger cleared the marker
    assertThat(ChangeEventMapper.writtenByBackflow(EventType.UPDATE, written, cleared)).isFalse();
    // a marker that did not change was not written by this change
    assertThat(ChangeEventMapper.writtenByBackflow(EventType.UPDATE, written, written)).isFalse();
    assertThat(ChangeEventMapper.writtenByBackflow(EventType.DELETE, written, null)).isFalse();
  }
}
