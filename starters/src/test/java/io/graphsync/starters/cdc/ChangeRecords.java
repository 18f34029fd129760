package io.graphsync.starters.cdc;

import io.debezium.data.Envelope;
import io.graphsync.workflows.mapping.Direction;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.JoinTableMapping;
import io.graphsync.workflows.mapping.RelationshipMapping;
import io.graphsync.workflows.mapping.TableMapping;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** Hand-built Debezium PostgreSQL change records, shaped like the connector's. */
final class ChangeRecords {

  static final Instant COMMIT = Instant.parse("2026-11-25T10:15:30.123Z");
  static final long TX_ID = 4711L;

  static final GraphMapping MAPPING = new GraphMapping(
      List.of(
          new TableMapping("tenants", "Tenant", "id", "id", null, null, null, null, null),
          new TableMapping("content_items", "ContentItem", "id", "tenant_id", null, null, null, null,
              List.of(new RelationshipMapping("message_id", "messages", "EXTRACTED_FROM", Direction.OUTGOING)))),
      List.of(new JoinTableMapping("content_item_concepts", "content_item_id", "content_items", "concept_id",
          "concepts", "MENTIONS", "tenant_id", List.of("weight"), null)));

  static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
      .field("version", Schema.STRING_SCHEMA)
      .field("connector", Schema.STRING_SCHEMA)
      .field("name", Schema.STRING_SCHEMA)
      .field("ts_ms", Schema.INT64_SCHEMA)
      .field("snapshot", SchemaBuilder.string().optional().defaultValue("false").build())
      .field("db", Schema.STRING_SCHEMA)
      .field("schema", Schema.STRING_SCHEMA)
      .field("table", Schema.STRING_SCHEMA)
      .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
      .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
      .build();

  static final Schema CONTENT_ITEM = SchemaBuilder.struct().name("graphsync.public.content_items.Value").optional()
      .field("id", SchemaBuilder.string().name("io.debezium.data.Uuid").build())
      .field("tenant_id", SchemaBuilder.string().name("io.debezium.data.Uuid").build())
      .field("message_id", SchemaBuilder.string().name("io.debezium.data.Uuid").optional().build())
      .field("title", Schema.STRING_SCHEMA)
      .field("metadata", SchemaBuilder.string().name("io.debezium.data.Json").optional().build())
      .field("body", Schema.OPTIONAL_STRING_SCHEMA)
      .field("score", Schema.OPTIONAL_STRING_SCHEMA)
      .field("tags", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
      .field("thumbnail", Schema.OPTIONAL_BYTES_SCHEMA)
      .field("created_at", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").build())
      .field("published_on", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
      .field("reviewed_at", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
      .field("pg_version", Schema.INT64_SCHEMA)
      .field("sync_status", Schema.STRING_SCHEMA)
      .field("sync_attempts", Schema.INT32_SCHEMA)
      .field("last_sync_error", Schema.OPTIONAL_STRING_SCHEMA)
      .field("last_sync_timestamp", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").optional().build())
      .field("neo4j_node_id", Schema.OPTIONAL_STRING_SCHEMA)
      .build();

  static final Schema ITEM_CONCEPT = SchemaBuilder.struct().name("graphsync.public.content_item_concepts.Value")
      .optional()
      .field("content_item_id", SchemaBuilder.string().name("io.debezium.data.Uuid").build())
      .field("concept_id", SchemaBuilder.string().name("io.debezium.data.Uuid").build())
      .field("tenant_id", SchemaBuilder.string().name("io.debezium.data.Uuid").build())
      .field("weight", Schema.STRING_SCHEMA)
      .build();

  static final String ITEM_ID = "3f2a9c1e-0000-4000-8000-000000000042";
  static final String TENANT_ID = "7d01aa2b-0000-4000-8000-000000000001";
  static final String CONCEPT_ID = "c0c0c0c0-0000-4000-8000-000000000007";
  static final String MESSAGE_ID = "0e55a9e0-0000-4000-8000-000000000003";

  private ChangeRecords() {}

  static Struct contentItem(long version, String syncStatus, String title) {
    return new Struct(CONTENT_ITEM)
        .put("id", ITEM_ID)
        .put("tenant_id", TENANT_ID)
        .put("message_id", MESSAGE_ID)
        .put("title", title)
        .put("metadata", "{\"lang\": \"en\"}")
        .put("body", "a long body")
        .put("score", "12.3400")
        .put("tags", List.of("a", "b"))
        .put("thumbnail", java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .put("created_at", "2026-11-25T10:00:00.000001Z")
        .put("published_on", 20_000)
        .put("reviewed_at", 1_700_000_000_123_456L)
        .put("pg_version", version)
        .put("sync_status", syncStatus)
        .put("sync_attempts", 0)
        .put("neo4j_node_id", null);
  }

  static Struct itemConcept(String weight) {
    return new Struct(ITEM_CONCEPT)
        .put("content_item_id", ITEM_ID)
        .put("concept_id", CONCEPT_ID)
        .put("tenant_id", TENANT_ID)
        .put("weight", weight);
  }

  static Struct source(String table, long lsn) {
    return new Struct(SOURCE)
        .put("version", "3.6.3.Final")
        .put("connector", "postgresql")
        .put("name", "graphsync")
        .put("ts_ms", COMMIT.toEpochMilli())
        .put("db", "graphsync")
        .put("schema", "public")
        .put("table", table)
        .put("txId", TX_ID)
        .put("lsn", lsn);
  }

  static Envelope envelope(Schema row, String table) {
    return Envelope.defineSchema()
        .withName("graphsync.public." + table + ".Envelope")
        .withRecord(row)
        .withSource(SOURCE)
        .build();
  }

  static SourceRecord record(String table, Envelope envelope, Struct value) {
    return new SourceRecord(Map.of("server", "graphsync"), Map.of("lsn", value.getStruct("source").get("lsn")),
        "graphsync.public." + table, envelope.schema(), value);
  }

  static SourceRecord create(Struct after, long lsn) {
    Envelope envelope = envelope(CONTENT_ITEM, "content_items");
    return record("content_items", envelope, envelope.create(after, source("content_items", lsn), COMMIT));
  }

  static SourceRecord read(Struct after, long lsn) {
    Envelope envelope = envelope(CONTENT_ITEM, "content_items");
    return record("content_items", envelope, envelope.read(after, source("content_items", lsn), COMMIT));
  }

  static SourceRecord update(Struct before, Struct after, long lsn) {
    Envelope envelope = envelope(CONTENT_ITEM, "content_items");
    return record("content_items", envelope, envelope.update(before, after, source("content_items", lsn), COMMIT));
  }

  /** A content item change whose key column is null: malformed. */
  static SourceRecord withoutKey(long lsn) {
    Schema keyless = SchemaBuilder.struct().name("graphsync.public.content_items.Value").optional()
        .field("id", Schema.OPTIONAL_STRING_SCHEMA)
        .field("title", Schema.STRING_SCHEMA)
        .build();
    Envelope envelope = envelope(keyless, "content_items");
    return record("content_items", envelope,
        envelope.create(new Struct(keyless).put("title", "no id"), source("content_items", lsn), COMMIT));
  }

  static SourceRecord delete(Struct before, long lsn) {
    Envelope envelope = envelope(CONTENT_ITEM, "content_items");
    return record("content_items", envelope, envelope.delete(before, source("content_items", lsn), COMMIT));
  }
}
