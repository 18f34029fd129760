package io.graphsync.activities.source;

import static io.graphsync.workflows.mapping.Conversion.BOOLEAN;
import static io.graphsync.workflows.mapping.Conversion.DATE;
import static io.graphsync.workflows.mapping.Conversion.DATETIME;
import static io.graphsync.workflows.mapping.Conversion.DECIMAL_STRING;
import static io.graphsync.workflows.mapping.Conversion.DOUBLE;
import static io.graphsync.workflows.mapping.Conversion.FLOAT_LIST;
import static io.graphsync.workflows.mapping.Conversion.JSON_STRING;
import static io.graphsync.workflows.mapping.Conversion.LIST;
import static io.graphsync.workflows.mapping.Conversion.LOCAL_DATETIME;
import static io.graphsync.workflows.mapping.Conversion.LONG;
import static io.graphsync.workflows.mapping.Conversion.STRING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsync.activities.neo4j.ValueConversions;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.testing.Sql;
import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.mapping.Conversion;
import io.graphsync.workflows.mapping.GraphMapping;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The re-read against a real PostgreSQL: for a column of every type graphsync maps, the value read back is the
 * capture's representation of it (written here as a literal, derived from {@code ColumnValues} and the capture's
 * Debezium settings), and the graph writer converts both to the same Neo4j value.
 */
@ExtendWith(GraphsyncExtension.class)
class SourceRowReaderIT {

  private static final String SCHEMA = """
      CREATE EXTENSION IF NOT EXISTS citext;
      CREATE SCHEMA source_it;
      CREATE TYPE source_it.mood AS ENUM ('happy', 'sad');
      CREATE DOMAIN source_it.short_text AS varchar(20);
      CREATE TABLE source_it.typed (
        id bigint PRIMARY KEY, tenant_id uuid, parent_id bigint REFERENCES source_it.typed (id),
        uid uuid, note text, label varchar(20), code char(5), name citext, nick source_it.short_text,
        mood source_it.mood, small int2, regular int4, big int8, ratio float4, precise float8,
        amount numeric(12, 4), free numeric, flag bool,
        moment timestamptz, moment3 timestamptz(3), moment0 timestamptz(0), stamp timestamp, stamp3 timestamp(3),
        day date, clock time, clock_tz timetz, span interval, doc json, docb jsonb, blob bytea,
        tags text[], counts int4[], smalls int2[], amounts numeric[], uids uuid[], moods source_it.mood[],
        flags bool[], ratios float8[], days date[], moments timestamptz[],
        secret text);
      SELECT graphsync.enable_sync('source_it.typed');
      CREATE TABLE source_it.links (
        from_id bigint REFERENCES source_it.typed (id), to_id bigint REFERENCES source_it.typed (id),
        tenant_id uuid, weight numeric(5, 4), since timestamptz, note text, PRIMARY KEY (from_id, to_id));
      SELECT graphsync.enable_join_sync('source_it.links');
      INSERT INTO source_it.typed VALUES (1, '7d01aa2b-0000-4000-8000-000000000001', NULL,
        'C0C0C0C0-0000-4000-8000-000000000007', 'a note', 'label', 'ab', 'MiXed', 'nick',
        'sad', -12, 123456, 9007199254740993, 1.5, 2.718281828459045,
        12.34, 100000000000000000000.000100, true,
        '2024-02-29 13:45:00.5+02', '2024-02-29 13:45:01.987+05:30', '2024-02-29 13:45:01-03',
        '2024-02-29 13:45:00', '2024-02-29 13:45:01.123',
        '2024-02-29', '08:30:00', '08:30:15.25+02', '1 year 2 mons 3 days 04:05:06.78',
        '{"b": 2,  "a": [1, 2]}', '{"b": 2,  "a": [1, 2], "c": {"d": null}}', '\\x000102ff',
        '{"x","y z"}', '{1,2,3}', '{-1,2}', '{1.50,2}', '{c0c0c0c0-0000-4000-8000-000000000007}', '{happy,sad}',
        '{t,f}', '{0.5}', '{2024-01-01}', '{"2024-01-01 10:00:00+00"}',
        'not for the graph');
      INSERT INTO source_it.typed (id, parent_id, tenant_id) VALUES (2, 1, '7d01aa2b-0000-4000-8000-000000000001');
      INSERT INTO source_it.links VALUES (1, 2, '7d01aa2b-0000-4000-8000-000000000001', 0.5,
        '2024-03-01 10:00:00.000001+00', 'not mapped');
      """;

  private static final String MAPPING = """
      tables:
        - table: tenants
          label: Tenant
          key: id
          tenantColumn: id
        - table: source_it.typed
          label: Typed
          key: id
          tenantColumn: tenant_id
          exclude: [secret]
          conversions: { clock: STRING, clock_tz: STRING, span: STRING, blob: STRING, free: DECIMAL_STRING }
          relationships:
            - { column: parent_id, target: source_it.typed, type: CHILD_OF, direction: OUTGOING }
      joinTables:
        - table: source_it.links
          fromColumn: from_id
          fromTable: source_it.typed
          toColumn: to_id
          toTable: source_it.typed
          type: LINKS
          tenantColumn: tenant_id
          properties: [weight, since]
      """;

  private static GraphMapping mapping;
  private static SourceRowReader reader;
  private static Map<String, Object> typed;

  @BeforeAll
  static void createTables(GraphsyncStack stack, Sql sql) throws SQLException {
    sql.execute("DROP SCHEMA IF EXISTS source_it CASCADE");
    sql.execute(SCHEMA);
    mapping = stack.mapping(MAPPING, "source-it.yml");
    reader = new SourceRowReader(sql.dataSource(), mapping);
    typed = reader.read("source_it.typed", "1").orElseThrow();
  }

  /** column, the capture's representation of the inserted value, the column's conversion in the resolved mapping. */
  static Stream<Arguments> capturedValues() {
    return Stream.of(
        // Debezium's io.debezium.data.Uuid: the canonical lower-case text
        captured("uid", "c0c0c0c0-0000-4000-8000-000000000007", STRING),
        captured("note", "a note", STRING),
        captured("label", "label", STRING),
        // bpchar keeps its padding
        captured("code", "ab   ", STRING),
        captured("name", "MiXed", STRING),
        // a domain is its base type
        captured("nick", "nick", STRING),
        // an enum is its label
        captured("mood", "sad", STRING),
        // Kafka Connect INT16 / INT32 / INT64 / FLOAT32 / FLOAT64: Short, Integer, Long, Float, Double
        captured("small", (short) -12, LONG),
        captured("regular", 123456, LONG),
        captured("big", 9007199254740993L, LONG),
        captured("ratio", 1.5f, DOUBLE),
        captured("precise", 2.718281828459045, DOUBLE),
        // decimal.handling.mode=string: BigDecimal.toPlainString, scale kept
        captured("amount", "12.3400", DECIMAL_STRING),
        captured("free", "100000000000000000000.000100", DECIMAL_STRING),
        captured("flag", true, BOOLEAN),
        // io.debezium.time.ZonedTimestamp: UTC, 'Z', the fraction padded to the column's precision (6 by default)
        captured("moment", "2024-02-29T11:45:00.500000Z", DATETIME),
        captured("moment3", "2024-02-29T08:15:01.987Z", DATETIME),
        captured("moment0", "2024-02-29T16:45:01Z", DATETIME),
        // MicroTimestamp / Timestamp → LocalDateTime.toString(): zero seconds left out
        captured("stamp", "2024-02-29T13:45", LOCAL_DATETIME),
        captured("stamp3", "2024-02-29T13:45:01.123", LOCAL_DATETIME),
        // io.debezium.time.Date → LocalDate.toString()
        captured("day", "2024-02-29", DATE),
        // MicroTime → LocalTime.toString(); timetz: OffsetTime.toString(), offset kept (the capture sends the
        // placeholder)
        captured("clock", "08:30", STRING),
        captured("clock_tz", "08:30:15.250+02:00", STRING),
        // interval.handling.mode=string
        captured("span", "P1Y2M3DT4H5M6.78S", STRING),
        // io.debezium.data.Json: json keeps the stored text, jsonb is as PostgreSQL prints it
        captured("doc", "{\"b\": 2,  \"a\": [1, 2]}", JSON_STRING),
        captured("docb", "{\"a\": [1, 2], \"b\": 2, \"c\": {\"d\": null}}", JSON_STRING),
        // binary.handling.mode=bytes → base64 without line breaks
        captured("blob", "AAEC/w==", STRING),
        // arrays: lists of their elements, each as above
        captured("tags", List.of("x", "y z"), LIST),
        captured("counts", List.of(1, 2, 3), LIST),
        captured("smalls", List.of((short) -1, (short) 2), LIST),
        captured("amounts", List.of("1.50", "2"), LIST),
        captured("uids", List.of("c0c0c0c0-0000-4000-8000-000000000007"), LIST),
        captured("moods", List.of("happy", "sad"), LIST),
        captured("flags", List.of(true, false), LIST),
        captured("ratios", List.of(0.5), FLOAT_LIST),
        captured("days", List.of("2024-01-01"), LIST),
        captured("moments", List.of("2024-01-01T10:00:00.000000Z"), LIST));
  }

  private static Arguments captured(String column, Object representation, Conversion conversion) {
    return Arguments.of(column, representation, conversion);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("capturedValues")
  void givenColumnOfEachType_whenReread_itIsTheCapturesRepresentationAndConvertsTheSame(String column,
      Object captured, Conversion conversion) {
    assertThat(mapping.table("source_it.typed").orElseThrow().conversions()).containsEntry(column, conversion);
    Object reread = typed.get(column);

    assertThat(reread).isEqualTo(captured);
    if (reread instanceof List<?> list && !list.isEmpty()) {
      assertThat(list.get(0)).isExactlyInstanceOf(((List<?>) captured).get(0).getClass());
    } else {
      assertThat(reread).isExactlyInstanceOf(captured.getClass());
    }
    assertThat(ValueConversions.convert(reread, conversion)).isEqualTo(ValueConversions.convert(captured, conversion));
  }

  @Test
  void givenEntityRow_whenReread_itHoldsTheKeyTenantForeignKeysPropertiesAndVersionOnly() {
    assertThat(typed).containsEntry("id", 1L).containsEntry("tenant_id", "7d01aa2b-0000-4000-8000-000000000001")
        .containsEntry("parent_id", null).containsEntry("pg_version", 1L)
        .doesNotContainKeys("secret", "sync_status", "sync_attempts", "last_sync_error", "last_sync_timestamp",
            "neo4j_node_id");
    assertThat(reader.read("source_it.typed", "2").orElseThrow())
        .containsEntry("id", 2L).containsEntry("parent_id", 1L).containsEntry("note", null)
        .containsEntry("tags", null);
  }

  @Test
  void givenJoinTableRow_whenRereadByItsCompositeKey_itHoldsBothKeysTenantAndProperties() {
    Map<String, Object> link = reader.read("source_it.links", "1|2").orElseThrow();

    assertThat(link).containsOnlyKeys("from_id", "to_id", "tenant_id", "weight", "since")
        .containsEntry("from_id", 1L).containsEntry("to_id", 2L)
        .containsEntry("tenant_id", "7d01aa2b-0000-4000-8000-000000000001")
        .containsEntry("weight", "0.5000").containsEntry("since", "2024-03-01T10:00:00.000001Z");
  }

  @Test
  void givenNoSuchRow_whenReread_itIsEmpty() {
    assertThat(reader.read("source_it.typed", "404")).isEmpty();
    assertThat(reader.read("source_it.links", "2|1")).isEmpty();
    assertThat(reader.read("tenants", "00000000-0000-4000-8000-000000000404")).isEmpty();
  }

  @Test
  void givenMalformedKey_whenReread_itFailsWithoutRetryAsInvalidData() {
    assertInvalidData(() -> reader.read("tenants", "not-a-uuid"), "not-a-uuid");
    assertInvalidData(() -> reader.read("source_it.typed", "1; DROP TABLE tenants"), "1; DROP TABLE tenants");
    assertInvalidData(() -> reader.read("source_it.links", "1|2|3"), "1|2|3");
    assertInvalidData(() -> reader.read("source_it.links", "1"), "'1'");
  }

  @Test
  void givenUnmappedTable_whenReread_itFailsWithoutRetryAsUnmappedTable() {
    assertThatThrownBy(() -> reader.read("graphsync.capture_offsets", "1"))
        .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(FailureType.UNMAPPED_TABLE.type());
          assertThat(failure.isNonRetryable()).isTrue();
        });
  }

  @Test
  void givenMapping_whenTheSqlIsBuilt_itQuotesMappedIdentifiersAndBindsTheKey() {
    assertThat(reader.sql("source_it.links")).isEqualTo("SELECT \"from_id\", \"to_id\", \"tenant_id\", \"weight\", "
        + "\"since\" FROM \"source_it\".\"links\" WHERE \"from_id\" = ? AND \"to_id\" = ?");
    assertThat(reader.sql("tenants")).isEqualTo("SELECT \"id\", \"name\", \"plan\", \"settings\", \"created_at\", "
        + "\"pg_version\" FROM \"tenants\" WHERE \"id\" = ?");
  }

  private static void assertInvalidData(Runnable read, String key) {
    assertThatThrownBy(read::run).isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
      assertThat(failure.getType()).isEqualTo(FailureType.INVALID_DATA.type());
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage()).contains(key);
    });
  }
}
