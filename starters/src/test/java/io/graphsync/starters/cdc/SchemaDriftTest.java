package io.graphsync.starters.cdc;

import static io.graphsync.starters.cdc.ChangeRecords.COMMIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.data.Envelope;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** Schema drift as the capture sees it: the fields of each change's row against the validated mapping. */
class SchemaDriftTest {

  private static final Instant NOW = Instant.parse("2026-11-25T11:00:00Z");
  private static final String ID = "3f2a9c1e-0000-4000-8000-000000000042";

  /** A resolved mapping: {@code include} lists exactly the property columns. */
  private static final GraphMapping MAPPING = new GraphMapping(List.of(new TableMapping("notes", "Note", "id", null,
      List.of("title", "body"), List.of("secret"), Map.of(), Map.of(), List.of())), List.of());

  private final SchemaDrift drift = new SchemaDrift(Clock.fixed(NOW, ZoneOffset.UTC));
  private final ChangeEventMapper mapper = new ChangeEventMapper(new MappedTables(MAPPING, "public"),
      CaptureSettings.DEFAULT_MAX_PAYLOAD_BYTES, drift);

  @Test
  void givenRowWithEveryMappedColumn_whenMapped_nothingIsReported() {
    ChangeEvent event = mapper.map(insert(lsn -> row(lsn, "title", "body", "secret"), 100)).orElseThrow();

    assertThat(event.data()).containsEntry("title", "t").doesNotContainValue(ChangeEvent.MISSING_COLUMN_VALUE);
    assertThat(drift.findings()).isEmpty();
    assertThat(drift.unmappedColumns()).isEmpty();
  }

  @Test
  void givenMappedColumnRenamed_whenChangesAreMapped_theyCarryTheMarkerAndAreCountedAsDrift() {
    ChangeEvent first = mapper.map(insert(lsn -> row(lsn, "headline", "body", "secret"), 100)).orElseThrow();
    ChangeEvent second = mapper.map(insert(lsn -> row(lsn, "headline", "body", "secret"), 200)).orElseThrow();

    assertThat(first.data()).containsEntry("title", ChangeEvent.MISSING_COLUMN_VALUE)
        .doesNotContainKeys("headline", "secret");
    assertThat(second.data()).containsEntry("title", ChangeEvent.MISSING_COLUMN_VALUE);
    assertThat(drift.findings()).containsExactly(new SchemaDrift.Finding("notes", "title",
        "mapped column 'title' is missing from the changes of 'notes' (dropped or renamed)", NOW, 100, 2));
    assertThat(drift.unmappedColumns()).isEqualTo(Map.of("notes", List.of("headline")));
  }

  @Test
  void givenMappedColumnDropped_whenADeleteIsMapped_itIsNotMarkedNorCounted() {
    Struct before = row(300, "title", "secret");
    Envelope envelope = ChangeRecords.envelope(before.schema(), "notes");
    SourceRecord delete = ChangeRecords.record("notes", envelope,
        envelope.delete(before, ChangeRecords.source("notes", 300), COMMIT));

    ChangeEvent event = mapper.map(delete).orElseThrow();

    assertThat(event.previousData()).doesNotContainValue(ChangeEvent.MISSING_COLUMN_VALUE);
    assertThat(drift.findings()).isEmpty();
  }

  @Test
  void givenUnmappedColumnAdded_whenMapped_itSyncsAndIsListedAsInformationOnly() {
    ChangeEvent event =
        mapper.map(insert(lsn -> row(lsn, "title", "body", "secret", "summary"), 100)).orElseThrow();

    assertThat(event.data()).doesNotContainValue(ChangeEvent.MISSING_COLUMN_VALUE);
    assertThat(drift.findings()).isEmpty();
    assertThat(drift.unmappedColumns()).isEqualTo(Map.of("notes", List.of("summary")));
  }

  @Test
  void givenMappingWithoutInclude_whenAColumnIsAdded_itIsNotReportedAsUnmapped() {
    GraphMapping everyColumn = new GraphMapping(List.of(new TableMapping("notes", "Note", "id", null, null, null,
        null, null, null)), List.of());
    ChangeEventMapper unresolved = new ChangeEventMapper(new MappedTables(everyColumn, "public"),
        CaptureSettings.DEFAULT_MAX_PAYLOAD_BYTES, drift);

    unresolved.map(insert(lsn -> row(lsn, "summary"), 100)).orElseThrow();

    assertThat(drift.findings()).isEmpty();
    assertThat(drift.unmappedColumns()).isEmpty();
  }

  @Test
  void givenDrift_whenHealthIsEvaluated_itWarnsWithTableColumnAndCountAndListsUnmappedColumnsAsInformation() {
    mapper.map(insert(lsn -> row(lsn, "headline", "body", "secret"), 100)).orElseThrow();
    CaptureSettings settings = CaptureSettings.builder().database("graphsync").user("graphsync").password("x")
        .stallTimeout(Duration.ofMinutes(5)).mapping(MAPPING).build();

    CaptureHealth warned = CaptureHealth.evaluate(CaptureState.RUNNING, NOW.minusSeconds(60), true, null, null,
        settings, NOW, drift.findings(), drift.unmappedColumns());
    CaptureHealth onlyUnmapped = CaptureHealth.evaluate(CaptureState.RUNNING, NOW.minusSeconds(60), true, null, null,
        settings, NOW, List.of(), drift.unmappedColumns());

    assertThat(warned.status()).isEqualTo(CaptureHealth.Status.WARNING);
    assertThat(warned.reasons()).singleElement().asString()
        .contains("'title'", "'notes'", "1 changes failed with SchemaChanged", "update the mapping");
    assertThat(warned.schemaDrift()).hasSize(1);
    assertThat(onlyUnmapped.status()).isEqualTo(CaptureHealth.Status.UP);
    assertThat(onlyUnmapped.unmappedColumns()).containsEntry("notes", List.of("headline"));
  }

  @Test
  void givenMappedColumnAlteredToAnotherType_whenItsNextChangeIsMapped_itCarriesTheMarkerAndIsCountedAsDrift() {
    ChangeEvent before = mapper.map(insert(lsn -> row(lsn, "title", "body", "secret"), 100)).orElseThrow();
    // ALTER TABLE notes ALTER COLUMN title TYPE integer USING length(title): the row's title is now an INT32
    ChangeEvent after = mapper.map(insert(lsn -> {
      Schema schema = SchemaBuilder.struct().name("graphsync.public.notes.Value").optional()
          .field("id", SchemaBuilder.string().name("io.debezium.data.Uuid").build())
          .field("title", Schema.OPTIONAL_INT32_SCHEMA)
          .field("body", Schema.OPTIONAL_STRING_SCHEMA)
          .field("secret", Schema.OPTIONAL_STRING_SCHEMA)
          .field("pg_version", Schema.INT64_SCHEMA).build();
      return new Struct(schema).put("id", ID).put("title", 5).put("body", "b").put("secret", "s")
          .put("pg_version", lsn);
    }, 200)).orElseThrow();

    assertThat(before.data()).containsEntry("title", "t");
    assertThat(after.data()).containsEntry("title", ChangeEvent.MISSING_COLUMN_VALUE).containsEntry("body", "b");
    assertThat(drift.findings()).singleElement().satisfies(finding -> {
      assertThat(finding.column()).isEqualTo("title");
      assertThat(finding.problem()).contains("changed its type");
      assertThat(finding.firstPosition()).isEqualTo(200);
    });
  }

  private interface RowAt {
    Struct at(long lsn);
  }

  private static SourceRecord insert(RowAt row, long lsn) {
    Struct after = row.at(lsn);
    Envelope envelope = ChangeRecords.envelope(after.schema(), "notes");
    return ChangeRecords.record("notes", envelope, envelope.create(after, ChangeRecords.source("notes", lsn), COMMIT));
  }

  /** A notes row with the key, {@code pg_version} and the named text columns (each holding its first letter). */
  private static Struct row(long lsn, String... columns) {
    SchemaBuilder schema = SchemaBuilder.struct().name("graphsync.public.notes.Value").optional()
        .field("id", SchemaBuilder.string().name("io.debezium.data.Uuid").build());
    for (String column : columns) {
      schema.field(column, Schema.OPTIONAL_STRING_SCHEMA);
    }
    schema.field("pg_version", Schema.INT64_SCHEMA);
    Schema built = schema.build();
    Struct row = new Struct(built).put("id", ID).put("pg_version", lsn);
    for (String column : columns) {
      row.put(column, column.substring(0, 1));
    }
    return row;
  }
}
