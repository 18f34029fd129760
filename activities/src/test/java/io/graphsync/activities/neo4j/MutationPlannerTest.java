package io.graphsync.activities.neo4j;

import static io.graphsync.activities.neo4j.ChangeEvents.create;
import static io.graphsync.activities.neo4j.ChangeEvents.delete;
import static io.graphsync.activities.neo4j.ChangeEvents.row;
import static io.graphsync.activities.neo4j.ChangeEvents.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.activities.mapping.ResolvedContextNexus;
import io.graphsync.activities.neo4j.GraphMutation.DeleteNode;
import io.graphsync.activities.neo4j.GraphMutation.DeleteRelationship;
import io.graphsync.activities.neo4j.GraphMutation.ForeignKeyLink;
import io.graphsync.activities.neo4j.GraphMutation.HeldRelationship;
import io.graphsync.activities.neo4j.GraphMutation.NodeRef;
import io.graphsync.activities.neo4j.GraphMutation.UpsertNode;
import io.graphsync.activities.neo4j.GraphMutation.UpsertRelationship;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.mapping.Conversion;
import io.graphsync.workflows.mapping.Direction;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.TableMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventType;
import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neo4j.driver.Values;

class MutationPlannerTest {

  private static final String ID = "0b9d5a8e-2f4c-4a51-9d0e-1c2b3a4d5e6f";
  private static final String TENANT = "7f000000-0000-4000-8000-000000000001";

  private final MutationPlanner planner = new MutationPlanner(ResolvedContextNexus.mapping());

  /** A table with one column per conversion, to test each on its own. */
  private static MutationPlanner plannerWith(Conversion conversion) {
    return new MutationPlanner(new GraphMapping(List.of(new TableMapping("samples", "Sample", "id", null,
        List.of("value"), List.of(), Map.of(), Map.of("value", conversion), List.of())), List.of()));
  }

  private static Object converted(Conversion conversion, Object value) {
    UpsertNode upsert = (UpsertNode) plannerWith(conversion).plan(create("samples", "s1", 1, row("id", "s1",
        "value", value)));
    return upsert.properties().get("value");
  }

  static Stream<Arguments> conversions() {
    return Stream.of(
        Arguments.of(Conversion.STRING, "text", "text"),
        Arguments.of(Conversion.STRING, 42, "42"),
        Arguments.of(Conversion.LONG, 42, 42L),
        Arguments.of(Conversion.LONG, "9007199254740993", 9007199254740993L),
        Arguments.of(Conversion.LONG, 7.0, 7L),
        Arguments.of(Conversion.DOUBLE, 1.25, 1.25),
        Arguments.of(Conversion.DOUBLE, 3, 3.0),
        Arguments.of(Conversion.DOUBLE, "0.7500", 0.75),
        Arguments.of(Conversion.DOUBLE, "NaN", Double.NaN),
        Arguments.of(Conversion.DECIMAL_STRING, "12345678901234567890.0100", "12345678901234567890.0100"),
        Arguments.of(Conversion.DECIMAL_STRING, new BigDecimal("1.50"), "1.50"),
        Arguments.of(Conversion.DECIMAL_STRING, 5, "5"),
        Arguments.of(Conversion.BOOLEAN, true, true),
        Arguments.of(Conversion.BOOLEAN, "f", false),
        Arguments.of(Conversion.DATETIME, "2025-03-04T05:06:07.123456Z",
            OffsetDateTime.parse("2025-03-04T05:06:07.123456Z")),
        Arguments.of(Conversion.DATETIME, "2025-03-04T05:06:07+05:30",
            OffsetDateTime.parse("2025-03-04T05:06:07+05:30")),
        Arguments.of(Conversion.DATETIME, "2025-03-04 05:06:07+00", OffsetDateTime.parse("2025-03-04T05:06:07Z")),
        Arguments.of(Conversion.DATETIME, "2025-03-04T05:06:07[Europe/Paris]",
            ZonedDateTime.parse("2025-03-04T05:06:07+01:00[Europe/Paris]")),
        Arguments.of(Conversion.DATETIME, "2025-03-04T05:06:07", LocalDateTime.parse("2025-03-04T05:06:07")),
        Arguments.of(Conversion.DATE, "2025-03-04", LocalDate.parse("2025-03-04")),
        Arguments.of(Conversion.JSON_STRING, "{\"b\": [1, 2]}", "{\"b\": [1, 2]}"),
        Arguments.of(Conversion.JSON_STRING, Map.of("b", List.of(1, 2)), "{\"b\":[1,2]}"),
        Arguments.of(Conversion.JSON_STRING, List.of("x"), "[\"x\"]"),
        Arguments.of(Conversion.LIST, List.of("a", "b"), List.of("a", "b")),
        Arguments.of(Conversion.LIST, List.of(1, 2), List.of(1L, 2L)),
        Arguments.of(Conversion.LIST, List.of(), List.of()),
        Arguments.of(Conversion.LIST, java.util.Arrays.asList("a", null), "[\"a\",null]"),
        Arguments.of(Conversion.FLOAT_LIST, List.of(0.5, "NaN", 1.1f), List.of(0.5, Double.NaN, 1.1)),
        Arguments.of(Conversion.LOCAL_DATETIME, "2025-03-04T05:06:07", LocalDateTime.parse("2025-03-04T05:06:07")),
        Arguments.of(Conversion.TIME, "13:45:01.5", LocalTime.parse("13:45:01.5")),
        Arguments.of(Conversion.TIME_WITH_OFFSET, "10:00+02:00", OffsetTime.parse("10:00+02:00")),
        Arguments.of(Conversion.DURATION, "P1Y2M3DT4H5M6.78S",
            Values.isoDuration(14, 3, 14706, 780_000_000).asIsoDuration()),
        Arguments.of(Conversion.POINT, Map.of("x", 1.5, "y", -2.0), Values.point(7203, 1.5, -2.0).asPoint()),
        Arguments.of(Conversion.BYTES, "AAEC/w==", new byte[] {0, 1, 2, (byte) 0xff}),
        Arguments.of(Conversion.DECIMAL_STRING, "NAN", "NaN"),
        Arguments.of(Conversion.DECIMAL_STRING, "1.23456789E7", "12345678.9"),
        Arguments.of(Conversion.DOUBLE, 1.1f, 1.1));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @MethodSource("conversions")
  void givenValue_whenPlanned_itIsConvertedToTheNeo4jValue(Conversion conversion, Object value, Object expected) {
    Object actual = converted(conversion, value);

    assertThat(actual).isEqualTo(expected);
    assertThat(actual).isInstanceOf(expected instanceof List ? List.class : expected.getClass());
  }

  @Test
  void givenConversionTests_whenListed_theyCoverEveryConversion() {
    Set<Conversion> covered = EnumSet.noneOf(Conversion.class);
    conversions().forEach(arguments -> covered.add((Conversion) arguments.get()[0]));

    assertThat(covered).containsExactlyInAnyOrder(Conversion.values());
  }

  @ParameterizedTest(name = "{0}: null")
  @MethodSource("everyConversion")
  void givenNull_whenPlanned_itStaysNullSoThePropertyIsRemoved(Conversion conversion) {
    UpsertNode upsert = (UpsertNode) plannerWith(conversion).plan(create("samples", "s1", 1, row("id", "s1",
        "value", null)));

    assertThat(upsert.properties()).containsEntry("value", null);
  }

  static Stream<Conversion> everyConversion() {
    return Stream.of(Conversion.values());
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(Conversion.STRING, Map.of("a", 1)),
        Arguments.of(Conversion.LONG, "forty-two"),
        Arguments.of(Conversion.LONG, 1.5),
        Arguments.of(Conversion.LONG, "99999999999999999999"),
        Arguments.of(Conversion.DOUBLE, "1,5"),
        Arguments.of(Conversion.DOUBLE, "0x1p3"),
        Arguments.of(Conversion.DECIMAL_STRING, "12abc"),
        Arguments.of(Conversion.BOOLEAN, "maybe"),
        Arguments.of(Conversion.BOOLEAN, 1),
        Arguments.of(Conversion.DATETIME, "yesterday"),
        Arguments.of(Conversion.DATETIME, "2025-02-30T00:00:00Z"),
        Arguments.of(Conversion.DATETIME, 1735689600000L),
        Arguments.of(Conversion.DATE, "04/03/2025"),
        Arguments.of(Conversion.JSON_STRING, "{not json"),
        Arguments.of(Conversion.LIST, "{a,b}"),
        Arguments.of(Conversion.LOCAL_DATETIME, "2025-03-04T05:06:07Z"),
        Arguments.of(Conversion.TIME, "25:00"),
        Arguments.of(Conversion.TIME_WITH_OFFSET, "10:00"),
        Arguments.of(Conversion.DURATION, "1 day"),
        Arguments.of(Conversion.POINT, "(1,2)"),
        Arguments.of(Conversion.BYTES, "not base64!"),
        Arguments.of(Conversion.FLOAT_LIST, List.of("x")),
        Arguments.of(Conversion.LIST, List.of("a", 1)),
        Arguments.of(Conversion.LIST, List.of(List.of("nested"))));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badValues")
  void givenValueThatCannotBeConverted_whenPlanned_itFailsNonRetryablyAsInvalidData(Conversion conversion,
      Object value) {
    assertThatThrownBy(() -> converted(conversion, value))
        .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(FailureType.INVALID_DATA.type());
          assertThat(failure.isNonRetryable()).isTrue();
          assertThat(failure.getOriginalMessage()).contains("table 'samples'", "column 'value'",
              String.valueOf(value).substring(0, Math.min(5, String.valueOf(value).length())));
        });
  }

  @Test
  void givenToastPlaceholder_whenUpdated_itLeavesThePropertyOutOfTheWrite() {
    Map<String, Object> data = contentItem();
    data.put("body", ChangeEvent.UNAVAILABLE_VALUE);
    data.put("tags", List.of(ChangeEvent.UNAVAILABLE_VALUE));
    data.put("metadata", ChangeEvent.UNAVAILABLE_VALUE);

    UpsertNode upsert = (UpsertNode) planner.plan(update("content_items", ID, 20, data));

    assertThat(upsert.properties()).doesNotContainKeys("body", "tags", "metadata")
        .containsEntry("title", "A title");
    assertThat(upsert.properties().values()).doesNotContain(ChangeEvent.UNAVAILABLE_VALUE);
  }

  @Test
  void givenEntityRow_whenPlanned_itMapsKeyTenantRenamesAndForeignKeysFromTheMappingOnly() {
    Map<String, Object> data = contentItem();
    data.put("not_mapped_column", "ignored");
    data.put("pg_version", 3L);
    data.put("sync_status", "PENDING");

    UpsertNode upsert = (UpsertNode) planner.plan(update("content_items", ID, 20, data));

    assertThat(upsert.label()).isEqualTo("ContentItem");
    assertThat(upsert.id()).isEqualTo(ID);
    assertThat(upsert.tenantId()).isEqualTo(TENANT);
    assertThat(upsert.position()).isEqualTo(20L);
    assertThat(upsert.version()).isEqualTo(20L);
    assertThat(upsert.properties()).containsOnlyKeys("title", "contentType", "metadata", "body", "score", "tags",
        "createdAt");
    assertThat(upsert.properties()).containsEntry("score", 0.5).containsEntry("contentType", "text/plain");
    assertThat(upsert.links()).containsExactly(
        new ForeignKeyLink("BELONGS_TO", Direction.OUTGOING, "Tenant", TENANT),
        new ForeignKeyLink("EXTRACTED_FROM", Direction.OUTGOING, "Message", null));
  }

  @Test
  void givenMappedColumnMarkedMissingByTheCapture_whenPlanned_itFailsNonRetryablyAsSchemaChangedNamingIt() {
    Map<String, Object> data = contentItem();
    data.remove("title");
    data.put("title", ChangeEvent.MISSING_COLUMN_VALUE);
    data.put("headline", "A title");

    assertThatThrownBy(() -> planner.plan(update("content_items", ID, 20, data)))
        .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(FailureType.SCHEMA_CHANGED.type()).isEqualTo("SchemaChanged");
          assertThat(failure.isNonRetryable()).isTrue();
          assertThat(failure.getOriginalMessage()).contains("column 'title'", "table 'content_items'",
              "dropped or renamed", "Update the mapping", "restart worker-app", "retry");
        });
  }

  @Test
  void givenForeignKeyOrJoinColumnMarkedMissing_whenPlanned_itFailsAsSchemaChanged() {
    Map<String, Object> data = contentItem();
    data.put("message_id", ChangeEvent.MISSING_COLUMN_VALUE);
    String item = "11111111-1111-4111-8111-111111111111";
    String concept = "22222222-2222-4222-8222-222222222222";

    assertThatThrownBy(() -> planner.plan(create("content_items", ID, 20, data)))
        .isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo(FailureType.SCHEMA_CHANGED.type()));
    assertThatThrownBy(() -> planner.plan(create("content_item_concepts", item + "|" + concept, 40,
        row("content_item_id", item, "concept_id", concept, "tenant_id", TENANT, "weight",
            ChangeEvent.MISSING_COLUMN_VALUE))))
        .isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getOriginalMessage()).contains("column 'weight'"));
  }

  @Test
  void givenDeleteWhosePreviousImageLacksAColumn_whenPlanned_itStillDeletes() {
    Map<String, Object> previous = contentItem();
    previous.put("title", ChangeEvent.MISSING_COLUMN_VALUE);

    assertThat(planner.plan(delete("content_items", ID, 30, previous))).isEqualTo(contentItemDelete());
  }

  @Test
  void givenRowThatSimplyDoesNotCarryAColumn_whenPlanned_itKeepsThatPropertyAsBefore() {
    Map<String, Object> data = contentItem();
    data.remove("body");

    UpsertNode upsert = (UpsertNode) planner.plan(update("content_items", ID, 20, data));

    assertThat(upsert.properties()).doesNotContainKey("body").containsEntry("title", "A title");
  }

  @Test
  void givenUnavailableForeignKey_whenPlanned_itLeavesThatRelationshipAlone() {
    Map<String, Object> data = contentItem();
    data.put("message_id", ChangeEvent.UNAVAILABLE_VALUE);
    data.remove("tenant_id");

    UpsertNode upsert = (UpsertNode) planner.plan(update("content_items", ID, 20, data));

    assertThat(upsert.links()).isEmpty();
  }

  @Test
  void givenDelete_whenPlanned_itTakesTheKeyFromPreviousData() {
    GraphMutation mutation = planner.plan(delete("content_items", "ignored-entity-id", 30, contentItem()));

    assertThat(mutation).isEqualTo(contentItemDelete());
    assertThat(mutation.tombstoneKey()).isEqualTo("ContentItem:" + ID);
  }

  /** A content item's delete: its join rows to concepts can outlive it (nothing else refers to content items). */
  private static DeleteNode contentItemDelete() {
    return new DeleteNode("ContentItem", ID, 30,
        List.of(new HeldRelationship("MENTIONS", Direction.OUTGOING, "Concept", true)));
  }

  @Test
  void givenDeleteOfATenant_whenPlanned_itNamesEveryForeignKeyThatReachesTenants() {
    DeleteNode delete = (DeleteNode) planner.plan(delete("tenants", "t1", 30, Map.of("id", "t1")));

    assertThat(delete.held()).containsExactlyInAnyOrder(
        new HeldRelationship("BELONGS_TO", Direction.INCOMING, "User", false),
        new HeldRelationship("BELONGS_TO", Direction.INCOMING, "Thread", false),
        new HeldRelationship("BELONGS_TO", Direction.INCOMING, "ContentItem", false),
        new HeldRelationship("BELONGS_TO", Direction.INCOMING, "Concept", false));
  }

  @Test
  void givenDeleteWithoutPreviousData_whenPlanned_itFallsBackToTheEntityId() {
    assertThat(planner.plan(delete("content_items", ID, 30, null))).isEqualTo(contentItemDelete());
  }

  @Test
  void givenJoinRow_whenPlanned_itBecomesARelationshipWithConvertedProperties() {
    String item = "11111111-1111-4111-8111-111111111111";
    String concept = "22222222-2222-4222-8222-222222222222";

    GraphMutation mutation = planner.plan(create("content_item_concepts", item + "|" + concept, 40,
        row("content_item_id", item, "concept_id", concept, "tenant_id", TENANT, "weight", "0.2500")));

    assertThat(mutation).isEqualTo(new UpsertRelationship("MENTIONS", new NodeRef("ContentItem", item),
        new NodeRef("Concept", concept), TENANT, 40, Map.of("weight", 0.25)));
    assertThat(mutation.tombstoneKey()).isEqualTo("MENTIONS:" + item + "|" + concept);
  }

  @Test
  void givenJoinDeleteWithoutPreviousData_whenPlanned_itSplitsTheEntityId() {
    GraphMutation mutation = planner.plan(delete("content_item_concepts", "a|b", 50, null));

    assertThat(mutation).isEqualTo(new DeleteRelationship("MENTIONS", new NodeRef("ContentItem", "a"),
        new NodeRef("Concept", "b"), 50));
  }

  @Test
  void givenUnmappedTable_whenPlanned_itFailsNonRetryablyAsUnmappedTable() {
    assertThatThrownBy(() -> planner.plan(create("audit_log", "1", 1, row("id", 1))))
        .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(FailureType.UNMAPPED_TABLE.type());
          assertThat(failure.isNonRetryable()).isTrue();
          assertThat(failure.getOriginalMessage()).contains("audit_log");
        });
  }

  @Test
  void givenCreateWithoutData_whenPlanned_itFailsAsInvalidData() {
    assertThatThrownBy(() -> planner.plan(ChangeEvents.event(EventType.CREATE, "threads", ID, 1, null, null)))
        .isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo(FailureType.INVALID_DATA.type()));
  }

  @Test
  void givenKeyThatIsNotAKey_whenPlanned_itFailsAsInvalidData() {
    Map<String, Object> data = contentItem();
    data.put("id", Map.of("not", "a key"));

    assertThatThrownBy(() -> planner.plan(create("content_items", null, 1, data)))
        .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(FailureType.INVALID_DATA.type());
          assertThat(failure.getOriginalMessage()).contains("content_items", "column 'id'");
        });
  }

  @Test
  void givenUnresolvedMapping_whenPlannerIsBuilt_itIsRejected() {
    GraphMapping unresolved = new GraphMapping(List.of(new TableMapping("samples", "Sample", "id", null,
        List.of("value"), List.of(), Map.of(), Map.of(), List.of())), List.of());

    assertThatThrownBy(() -> new MutationPlanner(unresolved))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not resolved");
  }

  private static Map<String, Object> contentItem() {
    return row("id", ID, "tenant_id", TENANT, "message_id", null, "title", "A title", "content_type", "text/plain",
        "metadata", "{}", "body", "text", "score", "0.5000", "tags", List.of("a"),
        "created_at", "2025-01-01T00:00:00Z");
  }
}
