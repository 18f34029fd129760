package io.graphsync.starters.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.activities.source.SourceRowReader;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.testing.Sql;
import io.graphsync.testing.WireVectors;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two producers of a row's column map must agree: what the capture puts into {@code ChangeEvent.data}, and what
 * {@link SourceRowReader} (the graph writer's re-read of an omitted change) reads from the same row. Both are
 * compared as Java objects, types included, before any JSON round trip, for a table with a column of every kind; and
 * both must give the wire form pinned by the shared {@link WireVectors}.
 */
@ExtendWith(GraphsyncExtension.class)
class CapturedRowRereadIT {

  private static final Logger log = LoggerFactory.getLogger(CapturedRowRereadIT.class);

  private static final String SCHEMA = """
      CREATE SCHEMA IF NOT EXISTS reread;
      DO $$ BEGIN
        CREATE TYPE reread.mood AS ENUM ('happy', 'sad');
      EXCEPTION WHEN duplicate_object THEN NULL; END $$;
      DO $$ BEGIN
        CREATE DOMAIN reread.short_text AS varchar(20);
      EXCEPTION WHEN duplicate_object THEN NULL; END $$;
      CREATE TABLE IF NOT EXISTS reread.typed (
        id bigint PRIMARY KEY, tenant_id uuid, parent_id bigint REFERENCES reread.typed (id),
        small int2, regular int4, big int8, ratio float4, precise float8,
        amount numeric(12, 4), free numeric, special numeric, flag bool,
        day date, stamp timestamp, stamp3 timestamp(3), moment timestamptz, moment3 timestamptz(3),
        moment0 timestamptz(0), clock time, clock_tz timetz, span interval,
        doc json, docb jsonb, code char(5), label varchar(20), nick reread.short_text, mood reread.mood,
        blob bytea, note text, uid uuid,
        tags text[], counts int4[], smalls int2[], bigs int8[], amounts numeric[], uids uuid[], moods reread.mood[],
        days date[], moments timestamptz[], stamps timestamp[], flags bool[], ratios float8[]);
      SELECT graphsync.enable_sync('reread.typed');
      CREATE TABLE IF NOT EXISTS reread.links (
        from_id bigint REFERENCES reread.typed (id), to_id bigint REFERENCES reread.typed (id), tenant_id uuid,
        weight numeric(5, 4), since timestamptz, PRIMARY KEY (from_id, to_id));
      SELECT graphsync.enable_join_sync('reread.links');
      """ + WireVectors.createTable("vectors.wire") + """
      SELECT graphsync.enable_sync('vectors.wire');
      """;

  private static final String MAPPING = """
      tables:
        - table: reread.typed
          label: Typed
          key: id
          tenantColumn: tenant_id
          conversions: { clock: STRING, clock_tz: STRING, span: STRING, blob: STRING }
          relationships:
            - { column: parent_id, target: reread.typed, type: CHILD_OF, direction: OUTGOING }
        - table: vectors.wire
          label: Wire
          key: id
      joinTables:
        - table: reread.links
          fromColumn: from_id
          fromTable: reread.typed
          toColumn: to_id
          toTable: reread.typed
          type: LINKS
          tenantColumn: tenant_id
          properties: [weight, since]
      """;

  private static final List<ChangeEvent> captured = new CopyOnWriteArrayList<>();

  private static CaptureFixture fixture;
  private static PostgresCapture capture;
  private static SourceRowReader reader;

  @BeforeAll
  static void startCapture(GraphsyncStack stack, Sql sql) throws SQLException {
    fixture = new CaptureFixture(stack, "gs_reread_it");
    DataSource dataSource = sql.dataSource();
    sql.execute(SCHEMA);
    GraphMapping mapping = stack.mapping(MAPPING, "reread.yml");
    reader = new SourceRowReader(dataSource, mapping);
    capture = fixture.startRecording(mapping, captured);
  }

  @AfterAll
  static void stopCapture() throws SQLException {
    if (fixture != null) {
      fixture.stop(capture);
    }
  }

  @Test
  void givenRowWithEveryColumnKind_whenCapturedAndReread_bothGiveTheSameValues() throws SQLException {
    fixture.sql.execute("""
        INSERT INTO reread.typed VALUES (1001, '7d01aa2b-0000-4000-8000-000000000001', NULL,
          -12, 123456, 9007199254740993, 1.5, 2.718281828459045,
          12.34, 100000000000000000000.000100, 'NaN', true,
          '2024-02-29', '2024-02-29 13:45:00', '2024-02-29 13:45:01.123', '2024-02-29 13:45:00.5+02',
          '2024-02-29 13:45:01.987+05:30', '2024-02-29 13:45:01-03', '08:30:00', '08:30:15.25+02',
          '1 year 2 mons 3 days 04:05:06.78',
          '{"b": 2,  "a": [1, 2]}', '{"b": 2,  "a": [1, 2], "c": {"d": null}}', 'ab', 'label', 'nick', 'sad',
          '\\x000102ff', 'a note', 'C0C0C0C0-0000-4000-8000-000000000007',
          '{"x","y z",NULL}', '{1,2,3}', '{-1,2}', '{9007199254740993}', '{1.50,2,-0.001}',
          '{c0c0c0c0-0000-4000-8000-000000000007}', '{happy,sad}', '{2024-01-01}', '{"2024-01-01 10:00:00+00"}',
          '{"2024-01-01 10:00:00"}', '{t,f}', '{0.5}')
        """);
    fixture.sql.execute("INSERT INTO reread.typed (id, parent_id, small, moment, moment3, moment0, stamp, clock, span, "
        + "special, free) VALUES (1002, 1001, 0, '2024-03-01 00:00:00+00', '2024-03-01 00:00:00+00', "
        + "'2024-03-01 00:00:00+00', '2024-03-01 00:00:00', '00:00', '0 seconds', 'Infinity', 0)");
    fixture.sql.execute("INSERT INTO reread.typed (id, special) VALUES (1003, '-Infinity')");
    fixture.sql.execute("INSERT INTO reread.links VALUES (1001, 1002, '7d01aa2b-0000-4000-8000-000000000001', 0.5, "
        + "'2024-03-01 10:00:00.000001+00')");

    assertSameAsCaptured("reread.typed", "1001");
    assertSameAsCaptured("reread.typed", "1002");
    assertSameAsCaptured("reread.typed", "1003");
    assertSameAsCaptured("reread.links", "1001|1002");
  }

  @Test
  void givenTheWireVectors_whenCapturedAndReread_bothGiveThePinnedWireForm() throws SQLException {
    fixture.sql.execute(WireVectors.insertRow("vectors.wire"));

    Map<String, String> capturedRow = WireVectors.describeRow(awaitEvent("vectors.wire", WireVectors.key()).data());
    Map<String, String> rereadRow = WireVectors.describeRow(reader.read("vectors.wire", WireVectors.key())
        .orElseThrow());

    SoftAssertions soft = new SoftAssertions();
    for (WireVectors.Vector vector : WireVectors.all()) {
      String capturedWire = vector.placeholder()
          ? WireVectors.describe(ChangeEvent.UNAVAILABLE_VALUE) : vector.wire();
      soft.assertThat(capturedRow.get(vector.column())).as("captured %s %s", vector.type(), vector.column())
          .isEqualTo(capturedWire);
      soft.assertThat(rereadRow.get(vector.column())).as("re-read %s %s", vector.type(), vector.column())
          .isEqualTo(vector.wire());
    }
    soft.assertAll();
  }

  @Test
  void givenNumericArrayWithNaN_whenCaptured_debeziumDropsItToNullWhileTheRereadKeepsIt() throws SQLException {
    fixture.sql.execute("INSERT INTO reread.typed (id, amounts) VALUES (1004, '{1,NaN}')");

    ChangeEvent event = awaitEvent("reread.typed", "1004");

    // Debezium logs "Failed to read value of array amounts" and sends null: a known difference, in the re-read's
    // favour (the graph writer's LIST conversion keeps "NAN" as text)
    assertThat(event.data()).containsEntry("amounts", null);
    assertThat(reader.read("reread.typed", "1004").orElseThrow()).containsEntry("amounts", List.of("1", "NAN"));
  }

  private static void assertSameAsCaptured(String table, String entityId) {
    ChangeEvent event = awaitEvent(table, entityId);
    Map<String, Object> reread = reader.read(table, entityId).orElseThrow();
    log.info("captured {} {}: {}", table, entityId, describe(event.data()));
    log.info("re-read  {} {}: {}", table, entityId, describe(reread));
    assertThat(event.data().keySet()).containsAll(reread.keySet());
    for (Map.Entry<String, Object> column : reread.entrySet()) {
      Object capturedValue = event.data().get(column.getKey());
      if ("clock_tz".equals(column.getKey()) && column.getValue() != null) {
        // a timetz: Debezium converts it to UTC, so the capture sends the placeholder and the writer fills it from here
        assertThat(capturedValue).as("column clock_tz of %s %s", table, entityId)
            .isEqualTo(ChangeEvent.UNAVAILABLE_VALUE);
        continue;
      }
      assertThat(WireVectors.describe(column.getValue()))
          .as("column %s of %s %s", column.getKey(), table, entityId)
          .isEqualTo(WireVectors.describe(capturedValue));
    }
  }

  private static ChangeEvent awaitEvent(String table, String entityId) {
    Await.until(() -> "the capture of " + table + " " + entityId, Duration.ofSeconds(60),
        () -> find(table, entityId).isPresent());
    return find(table, entityId).orElseThrow();
  }

  private static Optional<ChangeEvent> find(String table, String entityId) {
    return captured.stream().filter(e -> e.table().equals(table) && e.entityId().equals(entityId)).findFirst();
  }

  private static String describe(Map<String, Object> row) {
    StringBuilder text = new StringBuilder();
    WireVectors.describeRow(row).forEach((column, value) -> text.append("\n  ").append(column).append(" = ")
        .append(value));
    return text.toString();
  }
}
